package org.vitalvault.gateway.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.jboss.logging.Logger;
import org.vitalvault.gateway.ingest.BatchStore;
import org.vitalvault.gateway.ingest.StoreRejectedException;
import org.vitalvault.gateway.ingest.StoreUnavailableException;
import org.vitalvault.store.NewEpoch;
import org.vitalvault.store.ReadingBatchWriter;
import org.vitalvault.store.SealedBatch;

/**
 * The gateway's {@link BatchStore}: writes through the sealed store's {@link ReadingBatchWriter}
 * (epochs and one binary COPY of the rows in one transaction, idempotent on retry) and decides which
 * failures are worth retrying.
 */
public final class JdbcBatchStore implements BatchStore {

    private static final Logger LOG = Logger.getLogger(JdbcBatchStore.class);

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
            if (ReadingBatchWriter.write(c, epochs, batches, now) == ReadingBatchWriter.Outcome.RETRIED_WITH_INSERT) {
                LOG.warnf("%d sealed rows of batch %s partly stored already (a retry after an unanswered commit):"
                        + " written again, skipping what was there", batches.size(),
                        batches.isEmpty() ? "-" : batches.get(0).batchId());
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
}
