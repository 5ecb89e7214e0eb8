package org.vitalvault.vault.coop;

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
import org.vitalvault.policy.consent.CoopMembership;
import org.vitalvault.policy.consent.CoopTerms;
import org.vitalvault.vault.consent.TermsColumns;
import org.vitalvault.vault.refusal.Conflict;

/**
 * Co-ops ({@code coop}) and memberships ({@code coop_membership}), plain JDBC on the caller's
 * transaction. Lease decisions read memberships through
 * {@link org.vitalvault.vault.consent.ConsentStore}, not through here.
 */
@ApplicationScoped
public class CoopStore {

    private static final String COOP_COLUMNS = "coop_id, name, " + TermsColumns.LIST + ", created_at";
    private static final String UNIQUE_VIOLATION = "23505";

    @Inject
    AgroalDataSource dataSource;

    /** A membership and the co-op it is of. */
    public record Membership(CoopMembership membership, StoredCoop coop) {
    }

    public void insert(StoredCoop coop, UUID founder) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "insert into coop (coop_id, name, founder_owner_id, " + TermsColumns.LIST + ", created_at) values (?, ?, ?, "
                        + TermsColumns.PLACEHOLDERS + ", ?)")) {
            ps.setObject(1, coop.id());
            ps.setString(2, coop.name());
            ps.setObject(3, founder);
            int next = TermsColumns.bind(c, ps, 4, coop.terms().terms());
            ps.setObject(next, TermsColumns.timestamp(coop.createdAt()));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("storing a co-op failed", e);
        }
    }

    public Optional<StoredCoop> find(UUID coopId) {
        return coops("select " + COOP_COLUMNS + " from coop where coop_id = ?", coopId).stream().findFirst();
    }

    /** Every co-op, oldest first. */
    public List<StoredCoop> all() {
        return coops("select " + COOP_COLUMNS + " from coop order by created_at, coop_id", null);
    }

    /** The owner's current membership of the co-op, locked until the transaction ends. */
    public Optional<CoopMembership> currentMembership(UUID owner, UUID coopId) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select owner_id, coop_id, joined_at, left_at, " + TermsColumns.LIST
                        + " from coop_membership where owner_id = ? and coop_id = ? and left_at is null for update")) {
            ps.setObject(1, owner);
            ps.setObject(2, coopId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(membership(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading a co-op membership failed", e);
        }
    }

    /**
     * Stores a new membership.
     *
     * @throws Conflict when the owner is a member already (also when two joins race)
     */
    public void join(CoopMembership m) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "insert into coop_membership (owner_id, coop_id, joined_at, left_at, " + TermsColumns.LIST
                        + ") values (?, ?, ?, null, " + TermsColumns.PLACEHOLDERS + ")")) {
            ps.setObject(1, m.owner());
            ps.setObject(2, m.coop());
            ps.setObject(3, TermsColumns.timestamp(m.joinedAt()));
            TermsColumns.bind(c, ps, 4, m.ownTerms());
            ps.executeUpdate();
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw alreadyMember(m.coop());
            }
            throw new IllegalStateException("storing a co-op membership failed", e);
        }
    }

    static Conflict alreadyMember(UUID coopId) {
        return new Conflict("already-member", "Already a member",
                "this owner is a member of co-op " + coopId + " already; leave it first to join on other terms");
    }

    /** Ends the owner's current membership at {@code at}. */
    public void leave(UUID owner, UUID coopId, Instant at) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "update coop_membership set left_at = ? where owner_id = ? and coop_id = ? and left_at is null")) {
            ps.setObject(1, TermsColumns.timestamp(at));
            ps.setObject(2, owner);
            ps.setObject(3, coopId);
            if (ps.executeUpdate() != 1) {
                throw new IllegalStateException("expected to end one current membership");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("leaving a co-op failed", e);
        }
    }

    /** The owner's memberships, past ones included, oldest first. */
    public List<Membership> membershipsOf(UUID owner) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select m.owner_id, m.coop_id, m.joined_at, m.left_at, " + TermsColumns.select("m", "")
                        + ", c.name, c.created_at, " + TermsColumns.select("c", "c_")
                        + " from coop_membership m join coop c on c.coop_id = m.coop_id"
                        + " where m.owner_id = ? order by m.joined_at, m.coop_id")) {
            ps.setObject(1, owner);
            List<Membership> found = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    CoopMembership m = membership(rs);
                    found.add(new Membership(m, new StoredCoop(m.coop(), rs.getString("name"),
                            new CoopTerms(m.coop(), TermsColumns.read(rs, "c_")), TermsColumns.instant(rs, "created_at"))));
                }
            }
            return found;
        } catch (SQLException e) {
            throw new IllegalStateException("reading co-op memberships failed", e);
        }
    }

    private static CoopMembership membership(ResultSet rs) throws SQLException {
        return new CoopMembership(rs.getObject("owner_id", UUID.class), rs.getObject("coop_id", UUID.class),
                TermsColumns.instant(rs, "joined_at"), TermsColumns.instant(rs, "left_at"), TermsColumns.read(rs, ""));
    }

    private List<StoredCoop> coops(String sql, UUID param) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (param != null) {
                ps.setObject(1, param);
            }
            List<StoredCoop> found = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    UUID id = rs.getObject("coop_id", UUID.class);
                    found.add(new StoredCoop(id, rs.getString("name"), new CoopTerms(id, TermsColumns.read(rs, "")),
                            TermsColumns.instant(rs, "created_at")));
                }
            }
            return found;
        } catch (SQLException e) {
            throw new IllegalStateException("reading co-ops failed", e);
        }
    }
}
