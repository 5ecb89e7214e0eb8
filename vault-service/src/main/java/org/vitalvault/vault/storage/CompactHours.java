package org.vitalvault.vault.storage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.vitalvault.store.CompactionRows;
import org.vitalvault.vault.keys.OwnerKeyring;

/**
 * Pass 1: moves the gateway's pending batches into compacted hours ({@link HourCompaction} per
 * hour, oldest pending first). Late data (up to the gateway's 30 days) simply lands in its hour.
 * Idempotent: with nothing pending it changes nothing.
 */
@ApplicationScoped
public class CompactHours {

    @Inject
    CompactionTransactions transactions;

    @Inject
    HourCompaction hours;

    @Inject
    OwnerKeyring keyring;

    /** At most {@code maxHours} hours that have settled (see {@link Settling}). */
    public HourCounts settled(int maxHours, Settling settling, Instant now) throws SQLException {
        List<CompactionRows.Unit> due = transactions.read(c -> CompactionRows.settledPendingHours(c,
                now.minus(settling.minBatchAge()), settling.maxPendingBatches(),
                maxHours + transactions.unreadableCount()));
        return compact(readable(due, maxHours), now);
    }

    /** At most {@code maxHours} of one owner's pending hours, settled or not (before an export). */
    public HourCounts ofOwner(UUID ownerId, int maxHours, Instant now) throws SQLException {
        List<CompactionRows.Unit> due = transactions.read(c -> CompactionRows.pendingHoursOf(c, ownerId,
                maxHours + transactions.unreadableCount()));
        return compact(readable(due, maxHours), now);
    }

    private HourCounts compact(List<CompactionRows.Unit> due, Instant now) throws SQLException {
        HourCounts counts = HourCounts.NONE;
        try (OwnerSessions sessions = new OwnerSessions(keyring)) {
            for (CompactionRows.Unit hour : due) {
                counts = counts.plus(hours.rewrite(hour, sessions, now));
            }
        }
        return counts;
    }

    private List<CompactionRows.Unit> readable(List<CompactionRows.Unit> units, int max) {
        List<CompactionRows.Unit> readable = new ArrayList<>();
        for (CompactionRows.Unit u : units) {
            if (readable.size() == max) {
                break;
            }
            if (!transactions.isUnreadable(u)) {
                readable.add(u);
            }
        }
        return readable;
    }
}
