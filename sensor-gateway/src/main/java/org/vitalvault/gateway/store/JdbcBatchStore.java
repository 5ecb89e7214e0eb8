package org.vitalvault.gateway.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import javax.sql.DataSource;
import org.vitalvault.gateway.ingest.BatchStore;
import org.vitalvault.gateway.ingest.NewEpoch;
import org.vitalvault.gateway.ingest.SealedBatch;
import org.vitalvault.gateway.ingest.StoreRejectedException;
import org.vitalvault.gateway.ingest.StoreUnavailableException;

/**
 * Writes sealed batches to PostgreSQL with one JDBC batch per table, in one transaction. Both
 * inserts are idempotent: when the server dies between committing and answering, the writer cannot
 * know the outcome and retries the same rows (same batch ids), which must then be skipped, not fail
 * on the primary key forever.
 */
public final class JdbcBatchStore implements BatchStore {

    private static final String INSERT_EPOCH = """
            insert into seal_epoch (owner_id, epoch_id, key_version, enc, created_at)
            values (?, ?, ?, ?, ?) on conflict do nothing
            """;
    private static final String INSERT_BATCH = """
            insert into reading_batch (owner_id, metric, bucket, batch_id, epoch_id, reading_count, sealed, stored_at)
            values (?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing
            """;

    private final DataSource dataSource;
    private final Clock clock;

    public JdbcBatchStore(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    @Override
    public void write(List<NewEpoch> epochs, List<SealedBatch> batches)
            throws StoreUnavailableException, StoreRejectedException {
        Timestamp now = Timestamp.from(clock.instant());
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (!epochs.isEmpty()) {
                    try (PreparedStatement ps = c.prepareStatement(INSERT_EPOCH)) {
                        for (NewEpoch e : epochs) {
                            ps.setObject(1, e.ownerId());
                            ps.setObject(2, e.epochId());
                            ps.setInt(3, e.keyVersion());
                            ps.setBytes(4, e.enc());
                            ps.setTimestamp(5, now);
                            ps.addBatch();
                        }
                        ps.executeBatch();
                    }
                }
                try (PreparedStatement ps = c.prepareStatement(INSERT_BATCH)) {
                    for (SealedBatch b : batches) {
                        ps.setObject(1, b.ownerId());
                        ps.setString(2, b.metric());
                        ps.setTimestamp(3, Timestamp.from(b.bucket()));
                        ps.setObject(4, b.batchId());
                        ps.setObject(5, b.epochId());
                        ps.setInt(6, b.readingCount());
                        ps.setBytes(7, b.sealed());
                        ps.setTimestamp(8, now);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                c.commit();
            } catch (SQLException e) {
                rollbackQuietly(c);
                throw e;
            }
        } catch (SQLException e) {
            String message = "writing sealed batches failed: SQLState " + e.getSQLState();
            if (isTransient(e.getSQLState())) {
                throw new StoreUnavailableException(message, e);
            }
            throw new StoreRejectedException(message, e);
        }
    }

    /**
     * Only a refusal of the rows themselves — a data exception (class 22) or an integrity constraint
     * violation (class 23, e.g. the owner was erased mid-flight) — is final; their readings are then
     * dropped. Everything else is retried, including errors that look permanent (missing table,
     * missing privilege, internal error): those are the system's fault, not the rows', and stalling
     * with a warning until an operator fixes it loses nothing, where dropping would.
     */
    static boolean isTransient(String sqlState) {
        if (sqlState == null || sqlState.length() < 2) {
            return true;
        }
        return !(sqlState.startsWith("22") || sqlState.startsWith("23"));
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // The connection is broken; the transaction is gone with it.
        }
    }
}
