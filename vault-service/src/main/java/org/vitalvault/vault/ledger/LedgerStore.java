package org.vitalvault.vault.ledger;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.vitalvault.policy.ledger.LedgerEntry;
import org.vitalvault.policy.ledger.PrivacyLedger;
import org.vitalvault.vault.consent.TermsColumns;

/**
 * The per-owner privacy-loss ledger in {@code privacy_ledger}: one row per owner and charge, ε as
 * an exact decimal (the shortest that reads back as the charged double). Read into the policy's
 * {@link PrivacyLedger}, which does every sum; nothing is cached.
 *
 * <p>Concurrency is the writer's: charge under the transaction that stores the entries, after
 * locking the owners charged (issue 6's queries), so two releases cannot both pass a cap.
 *
 * <p>JDBC because a query records every included owner's ledger charge in its release transaction
 * (a measured hot path).
 */
@ApplicationScoped
public class LedgerStore {

    @Inject
    AgroalDataSource dataSource;

    /**
     * The ledger of {@code owners}, charges after {@code since}. A decision at {@code t} needs the
     * charges of the rolling year before {@code t} and, for per-lease sums, those of the lease's
     * whole period: pass {@code t − (365 days + longest lease)}.
     */
    public PrivacyLedger ledgerOf(Collection<UUID> owners, Instant since) {
        if (owners.isEmpty()) {
            return PrivacyLedger.empty();
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select owner_id, lease_id, charged_at, epsilon from privacy_ledger where owner_id = any (?) and charged_at > ?")) {
            ps.setArray(1, c.createArrayOf("uuid", owners.toArray()));
            ps.setObject(2, TermsColumns.timestamp(since));
            List<LedgerEntry> entries = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    entries.add(new LedgerEntry(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                            TermsColumns.instant(rs, "charged_at"), rs.getBigDecimal(4).doubleValue()));
                }
            }
            return PrivacyLedger.of(entries);
        } catch (SQLException e) {
            throw new IllegalStateException("reading the privacy ledger failed", e);
        }
    }

    /** Appends charges (on the caller's transaction). */
    public void record(Collection<LedgerEntry> entries) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "insert into privacy_ledger (owner_id, lease_id, charged_at, epsilon) values (?, ?, ?, ?)")) {
            for (LedgerEntry e : entries) {
                ps.setObject(1, e.owner());
                ps.setObject(2, e.lease());
                ps.setObject(3, TermsColumns.timestamp(e.at()));
                ps.setBigDecimal(4, BigDecimal.valueOf(e.epsilon()));
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException("recording privacy-ledger charges failed", e);
        }
    }
}
