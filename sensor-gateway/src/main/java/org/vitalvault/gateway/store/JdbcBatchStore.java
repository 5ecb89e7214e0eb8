package org.vitalvault.gateway.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.vitalvault.gateway.ingest.BatchStore;
import org.vitalvault.gateway.ingest.NewEpoch;
import org.vitalvault.gateway.ingest.SealedBatch;
import org.vitalvault.gateway.ingest.StoreRejectedException;
import org.vitalvault.gateway.ingest.StoreUnavailableException;

/**
 * Writes sealed batches to PostgreSQL in one transaction: the new epochs with a JDBC batch, the
 * sealed rows with one binary COPY (with one reading per message nearly every message is its own
 * row, and COPY costs both PostgreSQL and the driver about half of what a multi-row INSERT does;
 * docs/decisions/017).
 *
 * <p>Writes are idempotent: when the server dies between committing and answering, the writer
 * cannot know the outcome and retries the same rows (same batch id), which must then be skipped,
 * not fail on the primary key forever. COPY has no ON CONFLICT, so a COPY refused for a duplicate
 * key is written again with {@code INSERT … ON CONFLICT DO NOTHING} — the rare path, taken only
 * after such an outage.
 */
public final class JdbcBatchStore implements BatchStore {

    private static final Logger LOG = Logger.getLogger(JdbcBatchStore.class);

    private static final String UNIQUE_VIOLATION = "23505";

    private static final String INSERT_EPOCH = """
            insert into seal_epoch (owner_id, epoch_id, key_version, enc, created_at)
            values (?, ?, ?, ?, ?) on conflict do nothing
            """;
    private static final String COLUMNS = "owner_id, metric, bucket, batch_id, epoch_id, reading_count, sealed, stored_at";
    private static final String COPY_BATCHES = "copy reading_batch (" + COLUMNS + ") from stdin (format binary)";
    private static final String INSERT_BATCH = "insert into reading_batch (" + COLUMNS + ")"
            + " values (?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing";

    private final DataSource dataSource;
    private final Clock clock;

    public JdbcBatchStore(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    @Override
    public void write(List<NewEpoch> epochs, List<SealedBatch> batches)
            throws StoreUnavailableException, StoreRejectedException {
        Instant now = clock.instant();
        try (Connection c = dataSource.getConnection()) {
            try {
                transaction(c, epochs, batches, now, true);
            } catch (SQLException e) {
                if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    throw e;
                }
                // Rows of one batch have distinct keys by construction (one per owner, metric and hour),
                // so a duplicate key means rows already stored by an earlier attempt of this batch.
                LOG.warnf("%d sealed rows of batch %s partly stored already (a retry after an unanswered commit):"
                        + " writing them again, skipping what is there", batches.size(),
                        batches.isEmpty() ? "-" : batches.get(0).batchId());
                transaction(c, epochs, batches, now, false);
            }
        } catch (SQLException e) {
            String message = "writing sealed batches failed: SQLState " + e.getSQLState();
            if (isTransient(e.getSQLState())) {
                throw new StoreUnavailableException(message, e);
            }
            throw new StoreRejectedException(message, e);
        }
    }

    private static void transaction(Connection c, List<NewEpoch> epochs, List<SealedBatch> batches, Instant now,
                                    boolean copy) throws SQLException {
        c.setAutoCommit(false);
        try {
            insertEpochs(c, epochs, now);
            if (copy) {
                copyBatches(c, batches, now);
            } else {
                insertBatches(c, batches, now);
            }
            c.commit();
        } catch (SQLException e) {
            rollbackQuietly(c);
            throw e;
        }
    }

    private static void insertEpochs(Connection c, List<NewEpoch> epochs, Instant now) throws SQLException {
        if (epochs.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT_EPOCH)) {
            Timestamp at = Timestamp.from(now);
            for (NewEpoch e : epochs) {
                ps.setObject(1, e.ownerId());
                ps.setObject(2, e.epochId());
                ps.setInt(3, e.keyVersion());
                ps.setBytes(4, e.enc());
                ps.setTimestamp(5, at);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void copyBatches(Connection c, List<SealedBatch> batches, Instant now) throws SQLException {
        if (batches.isEmpty()) {
            return;
        }
        int size = 0;
        for (SealedBatch b : batches) {
            size += 110 + b.metric().length() + b.sealed().length;
        }
        BinaryCopyRows rows = new BinaryCopyRows(size);
        for (SealedBatch b : batches) {
            rows.row(8).uuid(b.ownerId()).text(b.metric()).timestamptz(b.bucket()).uuid(b.batchId())
                    .uuid(b.epochId()).int4(b.readingCount()).bytes(b.sealed()).timestamptz(now);
        }
        byte[] stream = rows.finish();
        CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY_BATCHES);
        try {
            in.writeToCopy(stream, 0, stream.length);
            in.endCopy();
        } catch (SQLException e) {
            if (in.isActive()) {
                try {
                    in.cancelCopy();
                } catch (SQLException cancel) {
                    e.addSuppressed(cancel);
                }
            }
            throw e;
        }
    }

    private static void insertBatches(Connection c, List<SealedBatch> batches, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT_BATCH)) {
            Timestamp at = Timestamp.from(now);
            for (SealedBatch b : batches) {
                ps.setObject(1, b.ownerId());
                ps.setString(2, b.metric());
                ps.setTimestamp(3, Timestamp.from(b.bucket()));
                ps.setObject(4, b.batchId());
                ps.setObject(5, b.epochId());
                ps.setInt(6, b.readingCount());
                ps.setBytes(7, b.sealed());
                ps.setTimestamp(8, at);
                ps.addBatch();
            }
            ps.executeBatch();
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
