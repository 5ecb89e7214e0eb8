package org.vitalvault.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.vitalvault.crypto.SegmentAad;
import org.vitalvault.segment.HourRollup;

/**
 * Sealed daily rollups ({@code reading_day}): per owner, metric and UTC day, the merge of the day's
 * compacted hours' rollups. A cohort query over weeks opens one row per owner and day instead of
 * one per hour, and derives one data key per owner (the rows share the owner's vault epoch).
 *
 * <p>The invariant "a day's row is the merge of its hours' rollups" holds because every transaction
 * that writes an hour rewrites its day, after taking a transaction-scoped advisory lock on the day:
 * two replicas compacting two hours of one day take turns, and the second reads (READ COMMITTED)
 * the first's committed hour.
 */
public final class DayRollups {

    /** Advisory-lock class of day locks (the two-int key space, apart from the hour locks' bigint space). */
    private static final int DAY_LOCK_CLASS = 0x56564452; // "VVDR"

    private DayRollups() {
    }

    /** The UTC day an hour bucket belongs to. */
    public static Instant dayOf(Instant bucket) {
        return bucket.truncatedTo(ChronoUnit.DAYS);
    }

    /**
     * Rewrites the day's row from the day's compacted hours as this transaction sees them (deletes
     * it when the day has none). Call inside the transaction that changed one of its hours, with
     * autocommit off; {@code epoch} must be stored.
     */
    public static void rewrite(Connection c, EpochKeys keys, UUID ownerId, String metric, Instant day,
                               VaultEpoch epoch) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select pg_advisory_xact_lock(?, ?)")) {
            ps.setInt(1, DAY_LOCK_CLASS);
            ps.setInt(2, (ownerId.hashCode() * 31 + metric.hashCode()) * 31 + Long.hashCode(day.getEpochSecond()));
            ps.executeQuery().close();
        }
        List<SealedStore.Hour> hours = SealedStore.hours(c, keys, ownerId, metric, day, day.plus(Duration.ofDays(1)), false);
        if (hours.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "delete from reading_day where owner_id = ? and metric = ? and day = ?")) {
                ps.setObject(1, ownerId);
                ps.setString(2, metric);
                ps.setTimestamp(3, Timestamp.from(day));
                ps.executeUpdate();
            }
            return;
        }
        HourRollup merged = hours.get(0).rollup();
        long count = hours.get(0).count();
        for (int i = 1; i < hours.size(); i++) {
            merged = merged.merge(hours.get(i).rollup());
            count += hours.get(i).count();
        }
        byte[] sealed = epoch.sealer().seal(new SegmentAad(SegmentAad.Part.DAY, ownerId, metric, day, epoch.epochId()),
                merged.encode());
        try (PreparedStatement ps = c.prepareStatement("""
                insert into reading_day (owner_id, metric, day, epoch_id, hours, reading_count, rollup)
                values (?, ?, ?, ?, ?, ?, ?)
                on conflict (owner_id, metric, day) do update
                   set epoch_id = excluded.epoch_id, hours = excluded.hours,
                       reading_count = excluded.reading_count, rollup = excluded.rollup
                """)) {
            ps.setObject(1, ownerId);
            ps.setString(2, metric);
            ps.setTimestamp(3, Timestamp.from(day));
            ps.setObject(4, epoch.epochId());
            ps.setInt(5, hours.size());
            ps.setInt(6, Math.toIntExact(count));
            ps.setBytes(7, sealed);
            ps.executeUpdate();
        }
    }

    /** Whether every day with compacted hours has its row (days compacted before V9 are filled in by compaction). */
    public static boolean complete(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select complete from rollup_backfill where name = 'reading_day'");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() && rs.getBoolean(1);
        }
    }
}
