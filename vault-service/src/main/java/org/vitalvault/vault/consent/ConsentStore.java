package org.vitalvault.vault.consent;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.vitalvault.policy.consent.Audience;
import org.vitalvault.policy.consent.ConsentGrant;
import org.vitalvault.policy.consent.CoopMembership;
import org.vitalvault.policy.consent.CoopTerms;
import org.vitalvault.policy.consent.Purpose;
import org.vitalvault.policy.lease.LeaseRequest;

/**
 * What a lease decision needs to know about consent, loaded from the database at every call —
 * the input of {@link org.vitalvault.policy.lease.PolicyEngine#decide}. There is no cache: a grant
 * revoked, amended or a co-op left is seen by the next call after its transaction commits.
 *
 * <p>Co-op memberships are turned into the grants they amount to with
 * {@link CoopTerms#adoptedBy(CoopMembership)} (the co-op's standing terms narrowed by the member's
 * own), so the engine sees one kind of input. Only current memberships are loaded: a member who
 * left has no grant to the co-op any more.
 *
 * <p>JDBC because every lease decision and every query reads the grants and memberships of the
 * whole population here (the query's "decide" phase in {@code vitalvault_query_phase_seconds}).
 */
@ApplicationScoped
public class ConsentStore {

    private static final String GRANT_COLUMNS = "owner_id, grant_id, audience_researcher, audience_purpose, "
            + TermsColumns.LIST + ", revoked_at";
    private static final String MEMBERSHIPS = "select c.coop_id, m.owner_id, m.joined_at, m.left_at, "
            + TermsColumns.select("c", "c_") + ", " + TermsColumns.select("m", "m_")
            + " from coop_membership m join coop c on c.coop_id = m.coop_id where m.left_at is null and ";

    @Inject
    AgroalDataSource dataSource;

    @Inject
    GrantStore grants;

    /**
     * Every grant that could admit {@code request}: for a request addressed to a co-op (its cohort
     * filter names one), the grants its current members' memberships amount to; otherwise every
     * grant to the request's researcher or to any researcher for its purpose, revoked and expired
     * ones included (the engine gives them as reasons, never as participants).
     */
    public List<ConsentGrant> grantsFor(LeaseRequest request) {
        UUID coop = request.cohort().coop();
        if (coop != null) {
            return memberships("m.coop_id = ?", coop);
        }
        return forAudience(request.researcher(), request.purpose());
    }

    /** Every grant of one owner: their own, revoked ones included, and those their current memberships amount to. */
    public List<ConsentGrant> grantsOf(UUID owner) {
        List<ConsentGrant> all = new ArrayList<>();
        grants.ofOwner(owner).forEach(g -> all.add(g.grant()));
        all.addAll(memberships("m.owner_id = ?", owner));
        return all;
    }

    /**
     * Every grant, of any owner, whose audience is {@code researcher} or any researcher for
     * {@code purpose} — revoked and expired ones included, so the engine can say why an owner does
     * not count.
     */
    private List<ConsentGrant> forAudience(UUID researcher, Purpose purpose) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("select " + GRANT_COLUMNS
                + " from consent_grant where audience_researcher = ? or audience_purpose = ?")) {
            ps.setObject(1, researcher);
            ps.setString(2, purpose.name());
            List<ConsentGrant> found = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    UUID to = rs.getObject("audience_researcher", UUID.class);
                    Audience audience = to != null ? new Audience.Researcher(to)
                            : new Audience.AnyResearcherFor(Purpose.ofCode(rs.getString("audience_purpose")));
                    found.add(new ConsentGrant(rs.getObject("grant_id", UUID.class), rs.getObject("owner_id", UUID.class),
                            audience, TermsColumns.read(rs, ""), TermsColumns.instant(rs, "revoked_at")));
                }
            }
            return found;
        } catch (SQLException e) {
            throw new IllegalStateException("reading consent grants failed", e);
        }
    }

    private List<ConsentGrant> memberships(String where, UUID param) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(MEMBERSHIPS + where)) {
            ps.setObject(1, param);
            List<ConsentGrant> adopted = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    UUID coop = rs.getObject("coop_id", UUID.class);
                    CoopMembership membership = new CoopMembership(rs.getObject("owner_id", UUID.class), coop,
                            TermsColumns.instant(rs, "joined_at"), TermsColumns.instant(rs, "left_at"),
                            TermsColumns.read(rs, "m_"));
                    new CoopTerms(coop, TermsColumns.read(rs, "c_")).adoptedBy(membership).ifPresent(adopted::add);
                }
            }
            return adopted;
        } catch (SQLException e) {
            throw new IllegalStateException("reading co-op memberships failed", e);
        }
    }
}
