package org.vitalvault.gateway.sealing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.vitalvault.crypto.BatchAad;
import org.vitalvault.crypto.BatchSealer;
import org.vitalvault.crypto.EpochKey;
import org.vitalvault.gateway.ingest.DeviceOwner;
import org.vitalvault.gateway.ingest.ReadingSealer;
import org.vitalvault.reading.Reading;
import org.vitalvault.reading.ReadingBatchCodec;
import org.vitalvault.store.NewEpoch;
import org.vitalvault.store.SealedBatch;

/**
 * Seals readings to their owner's public key. Per owner it keeps one sealing epoch: an HPKE
 * encapsulation to the owner's X25519 key and the data key exported from it. The gateway never
 * holds an owner's private key, so what it sealed it cannot open; the data key of the current epoch
 * lives only in this process's memory and is dropped when the epoch ends.
 *
 * <p>A new epoch starts when the owner's key version changes or the epoch is older than its
 * length, which bounds how much data one leaked data key exposes. Thread-safe: the writer seals
 * while the committer marks epochs stored.
 */
public final class OwnerSealer implements ReadingSealer {

    private final Duration epochLength;
    private final Map<UUID, Epoch> epochs = new HashMap<>();
    /** Epochs used and not yet known to be stored: a batch carries only these, not a scan of all owners. */
    private final Map<UUID, Epoch> unstored = new LinkedHashMap<>();

    public OwnerSealer(Duration epochLength) {
        this.epochLength = epochLength;
    }

    /**
     * Seals one (owner, metric, hour) group of readings of gateway batch {@code batchId}, starting an
     * epoch for the owner if needed. A gateway batch holds one group per (owner, metric, hour), so
     * the batch id completes the row's key.
     */
    @Override
    public synchronized SealedBatch seal(DeviceOwner owner, String metric, Instant bucket, List<Reading> readings,
                                         UUID batchId, Instant now) {
        Epoch epoch = epochs.get(owner.ownerId());
        if (epoch == null || epoch.keyVersion != owner.keyVersion()
                || Duration.between(epoch.createdAt, now).compareTo(epochLength) >= 0) {
            UUID epochId = UUID.randomUUID();
            epoch = new Epoch(owner.ownerId(), epochId, owner.keyVersion(),
                    EpochKey.create(owner.ownerPublicKey(), owner.ownerId(), epochId), now);
            epochs.put(owner.ownerId(), epoch);
        }
        byte[] sealed = epoch.sealer.seal(new BatchAad(owner.ownerId(), metric, bucket, epoch.epochId),
                ReadingBatchCodec.encode(readings));
        if (!epoch.stored) {
            unstored.put(epoch.epochId, epoch);
        }
        return new SealedBatch(owner.ownerId(), metric, bucket, batchId, epoch.epochId, readings.size(), sealed);
    }

    /** Epochs used by sealed batches but not yet known to be stored; they go into the same transaction. */
    @Override
    public synchronized List<NewEpoch> unstoredEpochs() {
        List<NewEpoch> result = new ArrayList<>(unstored.size());
        for (Epoch e : unstored.values()) {
            result.add(new NewEpoch(e.ownerId, e.epochId, e.keyVersion, e.key.enc()));
        }
        return result;
    }

    /** The transaction holding these epochs committed. */
    @Override
    public synchronized void markStored(List<NewEpoch> stored) {
        for (NewEpoch n : stored) {
            Epoch e = unstored.remove(n.epochId());
            if (e != null) {
                e.stored = true;
            }
        }
    }

    /**
     * PostgreSQL refused the owner's rows for good (erased mid-flight): forget the owner's epoch,
     * so it neither rides along, unstorable, in every later batch nor keeps its data key in memory.
     * Should the owner's devices still send, the next seal starts a fresh epoch.
     */
    @Override
    public synchronized void discard(UUID ownerId) {
        epochs.remove(ownerId);
        unstored.values().removeIf(e -> e.ownerId.equals(ownerId));
    }

    private static final class Epoch {
        final UUID ownerId;
        final UUID epochId;
        final int keyVersion;
        final EpochKey key;
        final BatchSealer sealer;
        final Instant createdAt;
        boolean stored;

        Epoch(UUID ownerId, UUID epochId, int keyVersion, EpochKey key, Instant createdAt) {
            this.ownerId = ownerId;
            this.epochId = epochId;
            this.keyVersion = keyVersion;
            this.key = key;
            this.sealer = new BatchSealer(key.dataKey());
            this.createdAt = createdAt;
        }
    }
}
