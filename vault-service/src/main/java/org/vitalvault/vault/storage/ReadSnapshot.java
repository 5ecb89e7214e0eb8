package org.vitalvault.vault.storage;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * One read-only REPEATABLE READ transaction on a pooled connection, rolled back and the connection
 * restored afterwards: every statement inside sees the same committed state, so a compaction
 * committing meanwhile (moving readings from batches into hours and days) is seen wholly or not at all.
 */
public final class ReadSnapshot {

    private ReadSnapshot() {
    }

    /** Work on the snapshot's connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    public static <T> T run(Connection c, Work<T> work) throws SQLException {
        c.setAutoCommit(false);
        c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        c.setReadOnly(true);
        try {
            return work.run(c);
        } finally {
            c.rollback();
            c.setReadOnly(false);
            c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            c.setAutoCommit(true);
        }
    }
}
