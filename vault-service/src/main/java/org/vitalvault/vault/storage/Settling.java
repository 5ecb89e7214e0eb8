package org.vitalvault.vault.storage;

import java.time.Duration;

/**
 * When an hour with pending batches is worth compacting. Compacting re-reads and re-seals the
 * hour's whole segment, so compacting an hour that is still filling at every pass costs work
 * quadratic in the hour's size and steals CPU from ingest; waiting costs reads a few more batches
 * to open. An hour is taken once its oldest pending batch is {@code minBatchAge} old or it has
 * {@code maxPendingBatches} pending batches, whichever comes first.
 */
public record Settling(Duration minBatchAge, int maxPendingBatches) {

    /** Every pending hour at once (tests). */
    public static final Settling NONE = new Settling(Duration.ZERO, 1);

    public Settling {
        if (minBatchAge == null || minBatchAge.isNegative()) {
            throw new IllegalArgumentException("minBatchAge must be zero or positive");
        }
    }
}
