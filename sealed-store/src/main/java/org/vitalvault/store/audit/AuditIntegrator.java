package org.vitalvault.store.audit;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The sequencer (docs/decisions/050): gives queued commitments ({@code audit_pending}) their leaf
 * indexes in one total order and writes the tree's new hashes as tiles, in one transaction under a
 * transaction-scoped advisory lock, so any number of vault replicas may call it and exactly one
 * integrates at a time.
 *
 * <p>FOUNDATION STUB: branch {@code logstore} implements it.
 */
public final class AuditIntegrator {

    /** The advisory lock key of the sequencer (pg_try_advisory_xact_lock). */
    public static final long LOCK_KEY = 0x7661756c74L << 16 | 0x17;

    /** What one call did: the head after it and how many entries it integrated. */
    public record Integration(TreeHead head, int integrated) {
    }

    private AuditIntegrator() {
    }

    /**
     * Integrates up to {@code maxEntries} queued commitments in the transaction of {@code c}
     * (auto-commit off; the caller commits). Empty when another sequencer holds the lock; otherwise
     * the head after integration (unchanged, with {@code integrated == 0}, when nothing was queued).
     */
    public static Optional<Integration> integrate(Connection c, int maxEntries) throws SQLException {
        throw new UnsupportedOperationException("branch logstore");
    }
}
