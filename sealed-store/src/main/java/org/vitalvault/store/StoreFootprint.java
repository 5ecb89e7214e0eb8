package org.vitalvault.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * What the sealed store occupies: the compacted segments' sealed payload (to tell the payload from
 * PostgreSQL's row overhead and dead space) and live and dead rows per sealed table. Sizes and counts
 * only; nothing sealed is opened. For the storage benchmark and operators.
 */
public final class StoreFootprint {

    private StoreFootprint() {
    }

    /**
     * The compacted segments' sealed bytes.
     *
     * @param rows        segments (one per owner, metric and hour)
     * @param pointsBytes sealed points, all segments
     * @param rollupBytes sealed hourly rollups, all segments
     * @param rowBytes    whole rows as PostgreSQL stores them
     * @param minPoints   smallest sealed points of one segment
     * @param maxPoints   largest sealed points of one segment
     */
    public record SegmentPayload(long rows, long pointsBytes, long rollupBytes, long rowBytes, long minPoints,
                                 long maxPoints) {
    }

    /** Live and dead rows of one sealed table, as of the last VACUUM or ANALYZE. */
    public record TableRows(String table, long live, long dead) {
    }

    public static SegmentPayload segments(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "select count(*), coalesce(sum(octet_length(points)), 0), coalesce(sum(octet_length(rollup)), 0),"
                        + " coalesce(sum(pg_column_size(s.*)), 0), coalesce(min(octet_length(points)), 0),"
                        + " coalesce(max(octet_length(points)), 0) from " + SealedTables.READING_SEGMENT + " s")) {
            rs.next();
            return new SegmentPayload(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                    rs.getLong(6));
        }
    }

    /** Rows of the tables the gateway writes and compaction rewrites, by table name. */
    public static List<TableRows> rows(Connection c) throws SQLException {
        List<TableRows> rows = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "select relname, n_live_tup, n_dead_tup from pg_stat_user_tables where relname in ('"
                        + SealedTables.READING_BATCH + "', '" + SealedTables.READING_SEGMENT + "', '"
                        + SealedTables.SEAL_EPOCH + "') order by relname")) {
            while (rs.next()) {
                rows.add(new TableRows(rs.getString(1), rs.getLong(2), rs.getLong(3)));
            }
        }
        return rows;
    }
}
