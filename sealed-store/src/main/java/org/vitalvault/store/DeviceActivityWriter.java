package org.vitalvault.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes device activity rows ({@code device_activity}, V20) with one multi-row INSERT: nothing
 * read back (no RETURNING, no ON CONFLICT), so the gateway's role needs INSERT alone. Stateless;
 * the connection is the caller's and must be in autocommit or committed by the caller.
 */
public final class DeviceActivityWriter {

    private static final String INSERT = "insert into device_activity"
            + " (owner_id, device_id, window_start, last_at, accepted, rejected_total, rejected)"
            + " values (?, ?, ?, ?, ?, ?, ?::jsonb)";

    private DeviceActivityWriter() {
    }

    /**
     * Inserts the rows as one JDBC batch (one multi-row INSERT with the driver's
     * {@code reWriteBatchedInserts}); {@code timeoutSeconds} bounds the statement so a stalled
     * server cannot hold the caller for long.
     */
    public static void write(Connection c, List<DeviceActivity> rows, int timeoutSeconds) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            ps.setQueryTimeout(timeoutSeconds);
            for (DeviceActivity a : rows) {
                ps.setObject(1, a.ownerId());
                ps.setObject(2, a.deviceId());
                ps.setTimestamp(3, Timestamp.from(a.windowStart()));
                ps.setTimestamp(4, Timestamp.from(a.lastAt()));
                ps.setInt(5, a.accepted());
                ps.setInt(6, a.rejectedTotal());
                ps.setString(7, json(a.rejected()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** {"code": count, ...}, codes sorted; DeviceActivity checked they need no escaping. */
    static String json(Map<String, Integer> rejected) {
        StringBuilder s = new StringBuilder("{");
        for (Map.Entry<String, Integer> e : new TreeMap<>(rejected).entrySet()) {
            if (s.length() > 1) {
                s.append(',');
            }
            s.append('"').append(e.getKey()).append("\":").append(e.getValue().intValue());
        }
        return s.append('}').toString();
    }
}
