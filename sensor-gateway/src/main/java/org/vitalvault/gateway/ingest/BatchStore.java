package org.vitalvault.gateway.ingest;

import java.util.List;
import org.vitalvault.store.NewEpoch;
import org.vitalvault.store.SealedBatch;

/** Durable storage of sealed batches. */
public interface BatchStore {

    /**
     * Stores the epochs (idempotently: an epoch already stored is skipped) and the batches in one
     * transaction. Returns only after commit; on any failure nothing of the call is stored.
     *
     * @throws StoreUnavailableException when retrying later may succeed (no connection, shutdown, timeout)
     * @throws StoreRejectedException when the database refused the rows themselves
     */
    void write(List<NewEpoch> epochs, List<SealedBatch> batches) throws StoreUnavailableException, StoreRejectedException;
}
