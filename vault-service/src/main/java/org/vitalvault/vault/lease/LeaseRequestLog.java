package org.vitalvault.vault.lease;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.vitalvault.vault.config.VaultConfig;
import org.vitalvault.vault.consent.TermsColumns;
import org.vitalvault.vault.refusal.Conflict;
import org.vitalvault.vault.refusal.TooMany;

/**
 * Every lease request an organisation signs, in {@code lease_request}: admitted before anything is
 * decided — under the organisation's daily rate limit and its discovery budget (the ε its requests may
 * spend in any 365 days), and only once per request id — then marked with its outcome. Denied
 * requests stay on record like approved ones (decision 024).
 *
 * <p>Admission locks the organisation's row, so two concurrent requests cannot both take the last
 * of an allowance. Writes run on the caller's transaction.
 */
@ApplicationScoped
public class LeaseRequestLog {

    static final Duration DAY = Duration.ofDays(1);
    static final Duration YEAR = Duration.ofDays(365);

    /** How a request ended. */
    public enum Outcome { PENDING, APPROVED, DENIED, FAILED }

    @Inject
    AgroalDataSource dataSource;

    @Inject
    VaultConfig config;

    /**
     * Records a request as pending and reserves its ε.
     *
     * @throws TooMany  when the organisation made its day's requests or spent its discovery budget
     * @throws Conflict when the organisation already used this request id
     */
    public void admit(UUID org, UUID requestId, String digest, double epsilon, Instant now) {
        VaultConfig.Policy policy = config.policy();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("select org_id from researcher_org where org_id = ? for no key update")) {
                ps.setObject(1, org);
                ps.executeQuery().close();
            }
            try (PreparedStatement ps = c.prepareStatement("select 1 from lease_request where org_id = ? and request_id = ?")) {
                ps.setObject(1, org);
                ps.setObject(2, requestId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        throw replayed(requestId);
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("select count(*) as n, min(received_at) as oldest from lease_request"
                    + " where org_id = ? and received_at > ?")) {
                ps.setObject(1, org);
                ps.setObject(2, TermsColumns.timestamp(now.minus(DAY)));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) >= policy.leaseRequestsPerDay()) {
                        Instant oldest = TermsColumns.instant(rs, "oldest");
                        throw new TooMany("lease-requests-rate-limited", "Too many lease requests",
                                "an organisation may make at most " + policy.leaseRequestsPerDay()
                                        + " lease requests in 24 hours; try again later", Duration.between(now, oldest.plus(DAY)));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("select coalesce(sum(epsilon), 0) as spent, min(received_at) as oldest from lease_request"
                    + " where org_id = ? and received_at > ? and epsilon > 0")) {
                ps.setObject(1, org);
                ps.setObject(2, TermsColumns.timestamp(now.minus(YEAR)));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    BigDecimal spent = rs.getBigDecimal(1);
                    if (spent.add(BigDecimal.valueOf(epsilon)).compareTo(BigDecimal.valueOf(policy.discoveryEpsilonPerYear())) > 0) {
                        Instant oldest = TermsColumns.instant(rs, "oldest");
                        throw new TooMany("discovery-budget-spent", "Discovery budget spent",
                                "this organisation's lease requests have spent its discovery budget of ε "
                                        + policy.discoveryEpsilonPerYear() + " for 365 days (each request costs ε " + epsilon
                                        + ")", Duration.between(now, oldest.plus(YEAR)));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("insert into lease_request (org_id, request_id, request_digest,"
                    + " received_at, epsilon, outcome) values (?, ?, ?, ?, ?, 'PENDING') on conflict do nothing")) {
                ps.setObject(1, org);
                ps.setObject(2, requestId);
                ps.setString(3, digest);
                ps.setObject(4, TermsColumns.timestamp(now));
                ps.setBigDecimal(5, BigDecimal.valueOf(epsilon));
                if (ps.executeUpdate() == 0) {
                    throw replayed(requestId);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("recording a lease request failed", e);
        }
    }

    /**
     * Marks how a request ended.
     *
     * @param spent    the ε it spent: its reservation once anything was counted, 0 when it was denied
     *                 for what the request alone decides
     * @param estimate the noisy cohort estimate the organisation was told, or null
     * @param lease    the lease it created, or null
     */
    public void finish(UUID org, UUID requestId, Outcome outcome, double spent, Long estimate, UUID lease) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("update lease_request"
                + " set outcome = ?, epsilon = ?, estimated_cohort = ?, lease_id = ? where org_id = ? and request_id = ?")) {
            ps.setString(1, outcome.name());
            ps.setBigDecimal(2, BigDecimal.valueOf(spent));
            ps.setObject(3, estimate);
            ps.setObject(4, lease);
            ps.setObject(5, org);
            ps.setObject(6, requestId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("recording a lease request's outcome failed", e);
        }
    }

    private static Conflict replayed(UUID requestId) {
        return new Conflict("lease-request-replayed", "Request id already used",
                "this organisation already sent a lease request with requestId " + requestId
                        + "; a request id is final once used: sign a new request with a new requestId");
    }
}
