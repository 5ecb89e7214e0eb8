package org.vitalvault.store.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

/**
 * The checkpoints issued ({@code audit_checkpoint}, V21): signed notes by tree size.
 * A checkpoint is never changed: two replicas signing the same size race on the primary key and
 * the second keeps the first's note.
 */
public final class AuditCheckpoints {

    /** One issued checkpoint. */
    public record Stored(long size, byte[] rootHash, String note, Instant signedAt) {
    }

    private static final String INSERT = "insert into audit_checkpoint (tree_size, root_hash, note, signed_at)"
            + " values (?, ?, ?, ?) on conflict (tree_size) do nothing";
    private static final String LATEST = "select tree_size, root_hash, note, signed_at from audit_checkpoint"
            + " order by tree_size desc limit 1";
    private static final String OF_SIZE = "select tree_size, root_hash, note, signed_at from audit_checkpoint"
            + " where tree_size = ?";

    private AuditCheckpoints() {
    }

    /** Stores a checkpoint; false when one of that size exists already (another replica signed it). */
    public static boolean insert(Connection c, Stored checkpoint) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            ps.setLong(1, checkpoint.size());
            ps.setBytes(2, checkpoint.rootHash());
            ps.setString(3, checkpoint.note());
            ps.setTimestamp(4, Timestamp.from(checkpoint.signedAt()));
            return ps.executeUpdate() == 1;
        }
    }

    /** The checkpoint of the largest size. */
    public static Optional<Stored> latest(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(LATEST)) {
            return one(ps);
        }
    }

    /** The checkpoint issued for exactly {@code size}, if one was. */
    public static Optional<Stored> ofSize(Connection c, long size) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(OF_SIZE)) {
            ps.setLong(1, size);
            return one(ps);
        }
    }

    private static Optional<Stored> one(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            return Optional.of(new Stored(rs.getLong(1), rs.getBytes(2), rs.getString(3),
                    rs.getTimestamp(4).toInstant()));
        }
    }
}
