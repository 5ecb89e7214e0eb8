package org.vitalvault.vault.datause;

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
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.vitalvault.vault.auth.Organisation;
import org.vitalvault.vault.consent.TermsColumns;

/**
 * "Who used my data": one {@code data_use} row per owner included in a query, written in the
 * query's transaction next to the ledger charge; and the credits leases owe owners
 * ({@code lease_credit}). Read only by the owner.
 *
 * <p>JDBC because a query writes one row per included owner in its release transaction (one batched
 * statement), and {@code use_id} is a database identity inside a composite key.
 */
@ApplicationScoped
public class DataUseStore {

    @Inject
    AgroalDataSource dataSource;

    /** What one query used, the same for every owner it included. */
    public record Use(UUID leaseId, UUID queryId, UUID organisation, String organisationName, String purpose, String metric,
                      String granularity, Instant dataFrom, Instant dataUntil, double epsilon, Instant usedAt) {
    }

    /**
     * One owner's entry.
     *
     * @param organisationStatus the organisation's status now ({@code APPROVED}, {@code SUSPENDED}, …), not at the use
     */
    public record Entry(long id, Use use, String organisationStatus) {
    }

    /**
     * One lease's credit to one owner.
     *
     * @param organisationStatus the organisation's status now: {@code SUSPENDED} tells the owner an operator stopped it
     */
    public record Credit(UUID leaseId, UUID organisation, String organisationName, long cents, Instant creditedAt,
                         @Schema(implementation = Organisation.Status.class) String organisationStatus) {
    }

    /** Writes {@code use} for each owner (on the caller's transaction). */
    public void record(Collection<UUID> owners, Use use) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("insert into data_use"
                + " (owner_id, lease_id, query_id, org_id, org_name, purpose, metric, granularity, data_from, data_until,"
                + " epsilon, used_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (UUID owner : owners) {
                int i = 1;
                ps.setObject(i++, owner);
                ps.setObject(i++, use.leaseId());
                ps.setObject(i++, use.queryId());
                ps.setObject(i++, use.organisation());
                ps.setString(i++, use.organisationName());
                ps.setString(i++, use.purpose());
                ps.setString(i++, use.metric());
                ps.setString(i++, use.granularity());
                ps.setObject(i++, TermsColumns.timestamp(use.dataFrom()));
                ps.setObject(i++, TermsColumns.timestamp(use.dataUntil()));
                ps.setBigDecimal(i++, BigDecimal.valueOf(use.epsilon()));
                ps.setObject(i++, TermsColumns.timestamp(use.usedAt()));
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException("recording data uses failed", e);
        }
    }

    /** The owner's entries, oldest first. */
    public List<Entry> usesOf(UUID owner) {
        // The organisation's status is joined in now, not copied at the use: a suspension shows at once.
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("select u.use_id, u.lease_id,"
                + " u.query_id, u.org_id, u.org_name, u.purpose, u.metric, u.granularity, u.data_from, u.data_until, u.epsilon,"
                + " u.used_at, o.status from data_use u left join researcher_org o on o.org_id = u.org_id"
                + " where u.owner_id = ? order by u.use_id")) {
            ps.setObject(1, owner);
            List<Entry> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Entry(rs.getLong("use_id"), new Use(rs.getObject("lease_id", UUID.class),
                            rs.getObject("query_id", UUID.class), rs.getObject("org_id", UUID.class), rs.getString("org_name"),
                            rs.getString("purpose"), rs.getString("metric"), rs.getString("granularity"),
                            TermsColumns.instant(rs, "data_from"), TermsColumns.instant(rs, "data_until"),
                            rs.getBigDecimal("epsilon").doubleValue(), TermsColumns.instant(rs, "used_at")),
                            rs.getString("status")));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("reading data uses failed", e);
        }
    }

    /** The owner's credits, oldest first. */
    public List<Credit> creditsOf(UUID owner) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("select k.lease_id,"
                + " k.org_id, o.name, k.cents, k.credited_at, o.status from lease_credit k join researcher_org o on o.org_id = k.org_id"
                + " where k.owner_id = ? order by k.credited_at, k.lease_id")) {
            ps.setObject(1, owner);
            List<Credit> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Credit(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3), rs.getLong(4),
                            TermsColumns.instant(rs, "credited_at"), rs.getString("status")));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("reading credits failed", e);
        }
    }
}
