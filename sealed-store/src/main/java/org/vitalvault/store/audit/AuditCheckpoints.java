package org.vitalvault.store.audit;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * The checkpoints issued ({@code audit_checkpoint}, V21): signed notes by tree size.
 *
 * <p>FOUNDATION STUB: branch {@code logstore} implements it.
 */
public final class AuditCheckpoints {

    /** One issued checkpoint. */
    public record Stored(long size, byte[] rootHash, String note, Instant signedAt) {
    }

    private AuditCheckpoints() {
    }

    /** Stores a checkpoint; false when one of that size exists already (another replica signed it). */
    public static boolean insert(Connection c, Stored checkpoint) throws SQLException {
        throw new UnsupportedOperationException("branch logstore");
    }

    /** The checkpoint of the largest size. */
    public static Optional<Stored> latest(Connection c) throws SQLException {
        throw new UnsupportedOperationException("branch logstore");
    }

    /** The checkpoint issued for exactly {@code size}, if one was. */
    public static Optional<Stored> ofSize(Connection c, long size) throws SQLException {
        throw new UnsupportedOperationException("branch logstore");
    }
}
