package org.vitalvault.vault.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.vitalvault.reading.Reading;
import org.vitalvault.vault.keys.OwnerKeyring;

/** Small helpers of the compaction pass tests: readings, row counts, key rotation. */
final class PassFixtures {

    private PassFixtures() {
    }

    /** {@code seconds} readings of one device, one per second from {@code start}. */
    static List<Reading> oneHertz(UUID device, Instant start, int seconds) {
        List<Reading> readings = new ArrayList<>();
        for (int i = 0; i < seconds; i++) {
            long t = start.toEpochMilli() + i * 1000L;
            readings.add(new Reading(device, t, t + 150, 60 + (i % 7)));
        }
        return readings;
    }

    /** The owner's rows in {@code table}. */
    static long count(DataSource dataSource, String table, UUID owner) throws SQLException {
        return single(dataSource, "select count(*) from " + table + " where owner_id = ?", owner);
    }

    /** A count-like first column of a query with the owner id as its one parameter. */
    static long single(DataSource dataSource, String sql, UUID owner) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, owner);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Runs one statement with the owner id as its one parameter; returns the rows changed. */
    static int update(DataSource dataSource, String sql, UUID owner) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, owner);
            return ps.executeUpdate();
        }
    }

    /** Retires the owner's current key pair for a new one, as POST /owners/{id}/keys/rotate does. */
    static int rotate(DataSource dataSource, OwnerKeyring keyring, UUID owner) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return keyring.rotate(c, owner);
        }
    }
}
