package org.vitalvault.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Writes sealed batches in one transaction: the new epochs ({@code seal_epoch}) with a JDBC batch,
 * the sealed rows ({@code reading_batch}) with one binary COPY (with one reading per message nearly
 * every message is its own row, and COPY costs both PostgreSQL and the driver about half of what a
 * multi-row INSERT does; docs/decisions/017). The gateway's hot path and the benchmarks' seeding
 * both write through here, so the row format has one writer.
 *
 * <p>Writes are idempotent: when the server dies between committing and answering, the caller
 * cannot know the outcome and retries the same rows (same batch id), which must then be skipped,
 * not fail on the primary key forever. COPY has no ON CONFLICT, so a COPY refused for a duplicate
 * key is written again with {@code INSERT … ON CONFLICT DO NOTHING} — the rare path, taken only
 * after such an outage ({@link Outcome#RETRIED_WITH_INSERT}).
 *
 * <p>Stateless and thread-safe; the connection is the caller's (autocommit is switched off).
 */
public final class ReadingBatchWriter {

    /** How a write went; both mean committed. */
    public enum Outcome {
        /** Written with COPY. */
        COPIED,
        /** Some rows were stored already (a retry after an unanswered commit): inserted skipping those. */
        RETRIED_WITH_INSERT
    }

    private static final String UNIQUE_VIOLATION = "23505";

    private static final String INSERT_EPOCH = """
            insert into seal_epoch (owner_id, epoch_id, key_version, enc, created_at)
            values (?, ?, ?, ?, ?) on conflict do nothing
            """;
    private static final String COLUMNS = "owner_id, metric, bucket, batch_id, epoch_id, reading_count, sealed, stored_at";
    private static final String COPY_BATCHES = "copy " + SealedTables.READING_BATCH + " (" + COLUMNS
            + ") from stdin (format binary)";
    private static final String INSERT_BATCH = "insert into " + SealedTables.READING_BATCH + " (" + COLUMNS + ")"
            + " values (?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing";

    private ReadingBatchWriter() {
    }

    /**
     * Writes {@code epochs} and {@code batches} (stored at {@code now}) and commits, or rolls back and
     * throws. Rows of one call must have distinct keys (owner, metric, hour, batch id), so a
     * duplicate key can only mean rows an earlier attempt of the same call stored.
     */
    public static Outcome write(Connection c, List<NewEpoch> epochs, List<SealedBatch> batches, Instant now)
            throws SQLException {
        try {
            transaction(c, epochs, batches, now, true);
            return Outcome.COPIED;
        } catch (SQLException e) {
            if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw e;
            }
            transaction(c, epochs, batches, now, false);
            return Outcome.RETRIED_WITH_INSERT;
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

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // The connection is broken; the transaction is gone with it.
        }
    }
}
