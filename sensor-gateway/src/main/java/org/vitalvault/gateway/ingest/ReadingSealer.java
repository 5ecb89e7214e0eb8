package org.vitalvault.gateway.ingest;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.vitalvault.reading.Reading;
import org.vitalvault.store.NewEpoch;
import org.vitalvault.store.SealedBatch;

/**
 * Seals readings so that only their owner can open them, and tracks the sealing epochs that must be
 * stored with the sealed rows. The pipeline calls {@link #seal} and {@link #unstoredEpochs} from
 * its writer thread and {@link #markStored} / {@link #discard} from its committer thread, so an
 * implementation is thread-safe.
 *
 * <p>Guarantee: a {@link SealedBatch} can be opened only with the owner's private key, which the
 * gateway never holds; its AAD binds owner, metric, hour and epoch. An epoch referenced by a sealed
 * batch is returned by {@link #unstoredEpochs} until {@link #markStored} is called for it, so a
 * batch is never stored without the epoch that opens it.
 *
 * <p>What it does not do: it stores nothing and gives no durability; it does not check the readings.
 */
public interface ReadingSealer {

    /** Seals one (owner, metric, hour) group of gateway batch {@code batchId}. */
    SealedBatch seal(DeviceOwner owner, String metric, Instant bucket, List<Reading> readings, UUID batchId,
                     Instant now);

    /** Epochs used by sealed batches and not yet known to be stored; they go into the same transaction. */
    List<NewEpoch> unstoredEpochs();

    /** The transaction holding these epochs committed. */
    void markStored(List<NewEpoch> stored);

    /** The store refused the owner's rows for good: forget the owner's epoch. */
    void discard(UUID ownerId);
}
