package org.vitalvault.vault.storage;

/**
 * What a pass over hours did: hours rewritten, batches they consumed, hours skipped (locked by
 * another replica, or unreadable) and rows of erased owners deleted.
 */
public record HourCounts(int rewritten, int batchesConsumed, int skipped, int orphanRowsRemoved) {

    static final HourCounts NONE = new HourCounts(0, 0, 0, 0);

    /** These counts with one more hour's outcome. */
    HourCounts plus(HourCompaction.Outcome outcome) {
        return switch (outcome.kind()) {
            case REWRITTEN -> new HourCounts(rewritten + 1, batchesConsumed + outcome.rows(), skipped, orphanRowsRemoved);
            case LOCKED, UNREADABLE -> new HourCounts(rewritten, batchesConsumed, skipped + 1, orphanRowsRemoved);
            case OWNER_GONE -> new HourCounts(rewritten, batchesConsumed, skipped, orphanRowsRemoved + outcome.rows());
            case NOTHING -> this;
        };
    }
}
