package org.vitalvault.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * How much of the sealed store is still waiting for compaction, across all owners: counts only,
 * nothing sealed is read. For operators' tools and the benchmarks, which wait until compaction has
 * caught up.
 *
 * @param pendingBatches  sealed batch rows not yet compacted
 * @param pendingReadings readings inside them
 * @param segments        compacted (owner, metric, hour) segments
 * @param segmentReadings readings inside those
 */
public record CompactionBacklog(long pendingBatches, long pendingReadings, long segments, long segmentReadings) {

    /** The backlog now, in one statement (one snapshot). */
    public static CompactionBacklog of(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "select (select count(*) from " + SealedTables.READING_BATCH + "),"
                        + " (select coalesce(sum(reading_count), 0) from " + SealedTables.READING_BATCH + "),"
                        + " (select count(*) from " + SealedTables.READING_SEGMENT + "),"
                        + " (select coalesce(sum(reading_count), 0) from " + SealedTables.READING_SEGMENT + ")")) {
            rs.next();
            return new CompactionBacklog(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4));
        }
    }

    public boolean caughtUp() {
        return pendingBatches == 0;
    }
}
