package org.vitalvault.vault.researcher;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.vitalvault.vault.consent.OrganisationDirectory;
import org.vitalvault.vault.consent.TermsColumns;

/** Researcher organisations in {@code researcher_org}; read fresh at every call (approval takes effect at once). */
@ApplicationScoped
public class ResearcherStore implements OrganisationDirectory {

    private static final String COLUMNS = "org_id, name, subject, public_key, kid, status, registered_at, approved_at";

    @Inject
    AgroalDataSource dataSource;

    /** Registers an organisation, pending approval; empty when the subject already manages one. */
    public Optional<Organisation> register(String name, String subject, byte[] publicKey, Instant now) {
        Organisation org = new Organisation(UUID.randomUUID(), name, subject, publicKey, ResearcherKeys.kid(publicKey),
                Organisation.Status.PENDING, now, null);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "insert into researcher_org (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, null) on conflict (subject) do nothing")) {
            ps.setObject(1, org.id());
            ps.setString(2, name);
            ps.setString(3, subject);
            ps.setBytes(4, publicKey);
            ps.setString(5, org.kid());
            ps.setString(6, org.status().name());
            ps.setObject(7, TermsColumns.timestamp(now));
            return ps.executeUpdate() == 1 ? Optional.of(org) : Optional.empty();
        } catch (SQLException e) {
            throw new IllegalStateException("registering a researcher organisation failed", e);
        }
    }

    @Override
    public boolean exists(UUID orgId) {
        return find(orgId).isPresent();
    }

    public Optional<Organisation> find(UUID orgId) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select " + COLUMNS + " from researcher_org where org_id = ?")) {
            ps.setObject(1, orgId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading a researcher organisation failed", e);
        }
    }

    /** Approves a pending organisation; empty when it does not exist. Approving twice keeps the first approval. */
    public Optional<Organisation> approve(UUID orgId, String operator, Instant now) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "update researcher_org set status = 'APPROVED', approved_at = ?, approved_by = ?"
                        + " where org_id = ? and status = 'PENDING'")) {
            ps.setObject(1, TermsColumns.timestamp(now));
            ps.setString(2, operator);
            ps.setObject(3, orgId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("approving a researcher organisation failed", e);
        }
        return find(orgId);
    }

    private static Organisation read(ResultSet rs) throws SQLException {
        return new Organisation(rs.getObject("org_id", UUID.class), rs.getString("name"), rs.getString("subject"),
                rs.getBytes("public_key"), rs.getString("kid"), Organisation.Status.valueOf(rs.getString("status")),
                TermsColumns.instant(rs, "registered_at"), TermsColumns.instant(rs, "approved_at"));
    }
}
