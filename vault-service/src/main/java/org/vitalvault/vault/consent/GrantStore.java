package org.vitalvault.vault.consent;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.vitalvault.policy.consent.Audience;
import org.vitalvault.policy.consent.ConsentGrant;
import org.vitalvault.policy.consent.Purpose;
import org.vitalvault.policy.consent.Terms;

/**
 * Owners' grants in {@code consent_grant}, as policy {@link ConsentGrant}s. Plain JDBC on the
 * request's transaction (callers that change data are {@code @Transactional}); nothing is cached,
 * so every read sees the last committed revocation.
 *
 * <p>JDBC for now, against the rule (decision 020): its terms are PostgreSQL arrays written by
 * TermsColumns, which co-ops and leases share; they move to Panache together.
 */
@ApplicationScoped
public class GrantStore {

    private static final String COLUMNS = "owner_id, grant_id, audience_researcher, audience_purpose, "
            + TermsColumns.LIST + ", version, created_at, amended_at, revoked_at";

    @Inject
    AgroalDataSource dataSource;

    /**
     * A grant as stored: the policy value and its bookkeeping.
     *
     * @param grant     the grant (its {@code revokedAt} included)
     * @param version   1 when created, one more per amendment
     * @param createdAt when it was created
     * @param amendedAt when it was last amended, or null
     */
    public record StoredGrant(ConsentGrant grant, int version, Instant createdAt, Instant amendedAt) {
    }

    /** Stores a new grant, version 1. */
    public void insert(ConsentGrant g, Instant createdAt) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "insert into consent_grant (" + COLUMNS + ") values (?, ?, ?, ?, " + TermsColumns.PLACEHOLDERS
                        + ", 1, ?, null, null)")) {
            ps.setObject(1, g.owner());
            ps.setObject(2, g.id());
            ps.setObject(3, g.audience() instanceof Audience.Researcher r ? r.organisation() : null);
            ps.setString(4, g.audience() instanceof Audience.AnyResearcherFor p ? p.purpose().name() : null);
            int next = TermsColumns.bind(c, ps, 5, g.terms());
            ps.setObject(next, TermsColumns.timestamp(createdAt));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("storing a consent grant failed", e);
        }
    }

    /**
     * The owner's grant, locked until the transaction ends when {@code forUpdate} (so an amendment and
     * a revocation of the same grant cannot interleave).
     */
    public Optional<StoredGrant> find(UUID owner, UUID grant, boolean forUpdate) {
        List<StoredGrant> found = query("select " + COLUMNS + " from consent_grant where owner_id = ? and grant_id = ?"
                + (forUpdate ? " for update" : ""), owner, grant);
        return found.stream().findFirst();
    }

    /** Every grant of the owner, revoked ones included, oldest first. */
    public List<StoredGrant> ofOwner(UUID owner) {
        return query("select " + COLUMNS + " from consent_grant where owner_id = ? order by created_at, grant_id", owner);
    }

    /**
     * Every grant, of any owner, whose audience is {@code researcher} or any researcher for
     * {@code purpose} — revoked and expired ones included, so the engine can say why an owner does
     * not count.
     */
    public List<ConsentGrant> forAudience(UUID researcher, Purpose purpose) {
        return query("select " + COLUMNS + " from consent_grant where audience_researcher = ? or audience_purpose = ?",
                researcher, purpose.name()).stream().map(StoredGrant::grant).toList();
    }

    /** Replaces the terms of a grant that is not revoked; the version goes up by one. */
    public void amend(UUID owner, UUID grant, Terms terms, Instant at) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "update consent_grant set (" + TermsColumns.LIST + ") = (" + TermsColumns.PLACEHOLDERS
                        + "), version = version + 1, amended_at = ? where owner_id = ? and grant_id = ? and revoked_at is null")) {
            int next = TermsColumns.bind(c, ps, 1, terms);
            ps.setObject(next, TermsColumns.timestamp(at));
            ps.setObject(next + 1, owner);
            ps.setObject(next + 2, grant);
            requireOneRow(ps.executeUpdate());
        } catch (SQLException e) {
            throw new IllegalStateException("amending a consent grant failed", e);
        }
    }

    /** Marks a grant that is not revoked as revoked at {@code at}. */
    public void revoke(UUID owner, UUID grant, Instant at) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "update consent_grant set revoked_at = ? where owner_id = ? and grant_id = ? and revoked_at is null")) {
            ps.setObject(1, TermsColumns.timestamp(at));
            ps.setObject(2, owner);
            ps.setObject(3, grant);
            requireOneRow(ps.executeUpdate());
        } catch (SQLException e) {
            throw new IllegalStateException("revoking a consent grant failed", e);
        }
    }

    // Callers lock the row and check it is not revoked first; anything else is a bug, not a 4xx.
    private static void requireOneRow(int rows) {
        if (rows != 1) {
            throw new IllegalStateException("expected to change one unrevoked grant, changed " + rows);
        }
    }

    private List<StoredGrant> query(String sql, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            List<StoredGrant> grants = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    grants.add(read(rs));
                }
            }
            return grants;
        } catch (SQLException e) {
            throw new IllegalStateException("reading consent grants failed", e);
        }
    }

    private static StoredGrant read(ResultSet rs) throws SQLException {
        UUID researcher = rs.getObject("audience_researcher", UUID.class);
        Audience audience = researcher != null ? new Audience.Researcher(researcher)
                : new Audience.AnyResearcherFor(Purpose.ofCode(rs.getString("audience_purpose")));
        ConsentGrant grant = new ConsentGrant(rs.getObject("grant_id", UUID.class), rs.getObject("owner_id", UUID.class),
                audience, TermsColumns.read(rs, ""), TermsColumns.instant(rs, "revoked_at"));
        return new StoredGrant(grant, rs.getInt("version"), TermsColumns.instant(rs, "created_at"),
                TermsColumns.instant(rs, "amended_at"));
    }
}
