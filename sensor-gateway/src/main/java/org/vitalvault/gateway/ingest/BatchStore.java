package org.vitalvault.gateway.ingest;

import java.util.List;

/** Durable storage of sealed batches. */
public interface BatchStore {

    /**
     * Stores the epochs (idempotently: an epoch already stored is skipped) and the batches in one
     * transaction. Returns only after commit; on any failure nothing of the call is stored.
     */
    void write(List<NewEpoch> epochs, List<SealedBatch> batches) throws StoreUnavailableException;
}
