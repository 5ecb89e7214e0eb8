package org.vitalvault.vault.audit.tree;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The two ways the log's tree is touched outside a request's own transaction: a writing
 * transaction of its own (the sequencer, the signer), and a read-only REPEATABLE READ snapshot (a
 * page of proofs: the checkpoint, the entries and every hash a proof needs are read from one
 * committed state, so an integration or a checkpoint committing meanwhile is seen wholly or not at all).
 */
@ApplicationScoped
public class AuditConnections {

    /** Work on a connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    @Inject
    AgroalDataSource dataSource;

    /** Runs {@code work} in a transaction of its own and commits it; rolls back and rethrows on any failure. */
    public <T> T inTransaction(Work<T> work) throws SQLException {
        return inTransaction(Connection.TRANSACTION_READ_COMMITTED, work);
    }

    /** Like {@link #inTransaction(Work)} at {@code isolation} (a {@link Connection} constant). */
    public <T> T inTransaction(int isolation, Work<T> work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(isolation);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                c.setAutoCommit(true);
            }
        }
    }

    /** Runs {@code work} in a read-only REPEATABLE READ transaction, rolled back afterwards. */
    public <T> T snapshot(Work<T> work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
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
}
