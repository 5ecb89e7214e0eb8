package org.vitalvault.vault.storage;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import org.vitalvault.crypto.SealBrokenException;
import org.vitalvault.store.CompactionRows;
import org.vitalvault.vault.keys.OwnerKeyring;

/**
 * The one transaction helper of every compaction pass: plain JDBC with autocommit off (passes run
 * on the compaction thread, outside any request or ORM context), commit on success, roll back on
 * any failure. Work on one hour or day whose sealed rows cannot be opened is rolled back and the
 * unit remembered as unreadable: every pass skips it until restart, so one broken unit cannot
 * starve the rest.
 */
@ApplicationScoped
public class CompactionTransactions {

    private static final Logger LOG = Logger.getLogger(CompactionTransactions.class);

    /** Work inside a transaction on {@code c}. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    @Inject
    AgroalDataSource dataSource;

    private final Set<CompactionRows.Unit> unreadable = ConcurrentHashMap.newKeySet();

    /** Runs {@code work} in a transaction of its own and commits; on any failure rolls back and rethrows. */
    public <T> T inTransaction(Work<T> work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /**
     * Runs {@code work} on one unit (an hour or a day, named {@code kind} in the log) in a transaction
     * of its own. Empty when the unit's sealed rows cannot be opened: then it is rolled back and
     * skipped from now on (see {@link #isUnreadable}). Any other failure rolls back and propagates.
     */
    public <T> Optional<T> onUnit(CompactionRows.Unit unit, String kind, Work<T> work) throws SQLException {
        try {
            return Optional.of(inTransaction(work));
        } catch (SealBrokenException | OwnerKeyring.MissingOwnerKeyException e) {
            unreadable.add(unit);
            // Which unit, never what is in it.
            LOG.warnf("%s %s %s of owner %s cannot be opened (%s); left as is", kind, unit.metric(), unit.start(),
                    unit.ownerId(), e.getClass().getSimpleName());
            return Optional.empty();
        }
    }

    /** Reads on a connection in autocommit mode (selecting the units a pass will work on). */
    public <T> T read(Work<T> work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        }
    }

    /** Whether a unit failed to open earlier in this process. */
    public boolean isUnreadable(CompactionRows.Unit unit) {
        return unreadable.contains(unit);
    }

    /** How many units are skipped as unreadable (a pass asks for that many more candidates). */
    public int unreadableCount() {
        return unreadable.size();
    }

    /**
     * Share-locks the owner row; false when the owner is gone. An erasure locks the row for update,
     * so either this transaction commits first and the erasure then deletes what it wrote, or the
     * erasure commits first and this sees no owner: never a row written after the owner is gone.
     */
    public static boolean lockOwnerShared(Connection c, UUID ownerId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select 1 from owner where owner_id = ? for share")) {
            ps.setObject(1, ownerId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
