package org.vitalvault.store;

import java.time.Instant;
import java.util.UUID;

/** One row of reading_batch: the sealed readings of one owner, metric and hour from one gateway batch. */
public record SealedBatch(UUID ownerId, String metric, Instant bucket, UUID batchId, UUID epochId,
                          int readingCount, byte[] sealed) {
}
