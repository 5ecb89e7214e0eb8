package org.vitalvault.vault.lease;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.vitalvault.policy.consent.AgeBand;
import org.vitalvault.policy.consent.AggregateKind;
import org.vitalvault.policy.consent.Granularity;
import org.vitalvault.policy.consent.Purpose;
import org.vitalvault.policy.consent.Sex;
import org.vitalvault.policy.consent.TimeWindow;
import org.vitalvault.policy.lease.CohortFilter;
import org.vitalvault.policy.lease.LeaseRequest;
import org.vitalvault.policy.lease.Participant;
import org.vitalvault.vault.consent.TermsColumns;

/**
 * Leases, their eligible owners and what they owe, in {@code lease}, {@code lease_participant} and
 * {@code lease_credit}. Writes run on the caller's transaction.
 *
 * <p>JDBC because the query's release transaction locks leases and owners here, and a lease writes
 * one participant row per eligible owner in one batch (the query's "release" phase).
 */
@ApplicationScoped
public class LeaseStore {

    private static final String COLUMNS = "lease_id, org_id, request_id, purpose, metrics, kinds, granularity, data_from,"
            + " data_until, lease_from, lease_until, coop_id, epsilon_requested, epsilon_total, epsilon_spent, minimum_cohort,"
            + " cohort_size, price_cents, credited_cents, document, created_at, cohort_age_bands, cohort_sexes, cohort_regions";

    @Inject
    AgroalDataSource dataSource;

    /**
     * Stores an approved lease and its participants.
     *
     * @return false when the organisation already has a lease for this request id (nothing stored)
     */
    public boolean insert(Lease lease, String requestJws, Collection<Participant> participants) {
        LeaseRequest r = lease.request();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("insert into lease (lease_id, org_id, request_id, purpose, metrics,"
                    + " kinds, granularity, data_from, data_until, lease_from, lease_until, coop_id, epsilon_requested,"
                    + " epsilon_total, epsilon_spent, minimum_cohort, cohort_size, price_cents, document, request_jws, created_at,"
                    + " cohort_age_bands, cohort_sexes, cohort_regions)"
                    + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + " on conflict (org_id, request_id) do nothing")) {
                int i = 1;
                ps.setObject(i++, lease.id());
                ps.setObject(i++, lease.organisation());
                ps.setObject(i++, lease.requestId());
                ps.setString(i++, r.purpose().name());
                ps.setArray(i++, c.createArrayOf("text", r.metrics().toArray(String[]::new)));
                ps.setArray(i++, c.createArrayOf("text", r.kinds().stream().map(Enum::name).toArray(String[]::new)));
                ps.setString(i++, r.granularity().name());
                ps.setObject(i++, TermsColumns.timestamp(r.dataWindow().from()));
                ps.setObject(i++, TermsColumns.timestamp(r.dataWindow().until()));
                ps.setObject(i++, TermsColumns.timestamp(r.validity().from()));
                ps.setObject(i++, TermsColumns.timestamp(r.validity().until()));
                ps.setObject(i++, r.cohort().coop());
                ps.setBigDecimal(i++, BigDecimal.valueOf(r.epsilon()));
                ps.setBigDecimal(i++, lease.epsilonTotal());
                ps.setInt(i++, lease.minimumCohort());
                ps.setInt(i++, lease.cohortSize());
                ps.setLong(i++, lease.priceCents());
                ps.setString(i++, lease.document());
                ps.setString(i++, requestJws);
                ps.setObject(i++, TermsColumns.timestamp(lease.createdAt()));
                ps.setArray(i++, c.createArrayOf("text", r.cohort().ageBands().stream().map(Enum::name).sorted().toArray(String[]::new)));
                ps.setArray(i++, c.createArrayOf("text", r.cohort().sexes().stream().map(Enum::name).sorted().toArray(String[]::new)));
                ps.setArray(i++, c.createArrayOf("text", r.cohort().regions().stream().sorted().toArray(String[]::new)));
                if (ps.executeUpdate() == 0) {
                    return false;
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into lease_participant (owner_id, lease_id, credit_cents) values (?, ?, ?)")) {
                for (Participant p : participants) {
                    ps.setObject(1, p.owner());
                    ps.setObject(2, lease.id());
                    ps.setLong(3, p.creditCents());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return true;
        } catch (SQLException e) {
            throw new IllegalStateException("storing a lease failed", e);
        }
    }

    /** The organisation's lease, or empty (another organisation's lease is as unknown as a missing one). */
    public Optional<Lease> find(UUID organisation, UUID leaseId) {
        return one("select " + COLUMNS + " from lease where lease_id = ? and org_id = ?", leaseId, organisation);
    }

    /** The lease, its row locked until the caller's transaction ends: queries of one lease run one at a time. */
    public Optional<Lease> lock(UUID organisation, UUID leaseId) {
        return one("select " + COLUMNS + " from lease where lease_id = ? and org_id = ? for update", leaseId, organisation);
    }

    private Optional<Lease> one(String sql, UUID leaseId, UUID organisation) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, leaseId);
            ps.setObject(2, organisation);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading a lease failed", e);
        }
    }

    /** The owners eligible when the lease was approved. Internal: never shown to a researcher. */
    public Set<UUID> participants(UUID leaseId) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select owner_id from lease_participant where lease_id = ?")) {
            ps.setObject(1, leaseId);
            Set<UUID> owners = new HashSet<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    owners.add(rs.getObject(1, UUID.class));
                }
            }
            return owners;
        } catch (SQLException e) {
            throw new IllegalStateException("reading lease participants failed", e);
        }
    }

    /**
     * Records the lease budget after a release and credits the owners whose data counted for the
     * first time in this lease (on the caller's transaction).
     *
     * @return the owners credited now and the cents each was credited (owners credited before: absent)
     */
    public Map<UUID, Long> afterRelease(UUID leaseId, UUID organisation, BigDecimal spent, Collection<UUID> included, Instant at) {
        try (Connection c = dataSource.getConnection()) {
            Map<UUID, Long> credits = new HashMap<>();
            long credited = 0;
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into lease_credit (owner_id, lease_id, org_id, cents, credited_at)
                    select owner_id, lease_id, ?, credit_cents, ? from lease_participant
                     where lease_id = ? and owner_id = any (?)
                    on conflict (owner_id, lease_id) do nothing
                    returning owner_id, cents
                    """)) {
                ps.setObject(1, organisation);
                ps.setObject(2, TermsColumns.timestamp(at));
                ps.setObject(3, leaseId);
                ps.setArray(4, c.createArrayOf("uuid", included.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long cents = rs.getLong(2);
                        credits.put(rs.getObject(1, UUID.class), cents);
                        credited += cents;
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "update lease set epsilon_spent = ?, credited_cents = credited_cents + ? where lease_id = ?")) {
                ps.setBigDecimal(1, spent);
                ps.setLong(2, credited);
                ps.setObject(3, leaseId);
                ps.executeUpdate();
            }
            return credits;
        } catch (SQLException e) {
            throw new IllegalStateException("recording a release failed", e);
        }
    }

    /**
     * What the organisation owes, euro cents: the signed price of every lease of its that has answered
     * (or charged for) a query. Not the owners' credits: their sum would tell the organisation how many
     * owners' data counted, exactly (decision 024). Owners are credited in full either way.
     */
    public long owedBy(UUID organisation) {
        return sum("select coalesce(sum(price_cents), 0) from lease l where org_id = ?" + USED, organisation);
    }

    /** What one lease owes: its price once it has answered a query, else 0. */
    public long owes(UUID leaseId) {
        return sum("select coalesce(sum(price_cents), 0) from lease l where lease_id = ?" + USED, leaseId);
    }

    private static final String USED = " and exists (select 1 from lease_query q where q.lease_id = l.lease_id"
            + " and q.outcome in ('ANSWERED', 'FAILED'))";

    private long sum(String sql, UUID id) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading what an organisation owes failed", e);
        }
    }

    /**
     * Share-locks the organisation's row until the caller's transaction ends and says whether it may
     * still lease and query. A suspension updates that row, so it waits for a release in progress, and
     * a release that starts after a suspension committed sees it here: no release commits after the
     * suspension does.
     */
    public boolean lockActiveOrganisation(UUID organisation) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select status from researcher_org where org_id = ? for share")) {
            ps.setObject(1, organisation);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && "APPROVED".equals(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("locking an organisation failed", e);
        }
    }

    /** Locks the owners' rows (in id order, so two queries cannot deadlock) until the caller's transaction ends. */
    public void lockOwners(Collection<UUID> owners) {
        UUID[] sorted = owners.stream().sorted().toArray(UUID[]::new);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select owner_id from owner where owner_id = any (?) order by owner_id for no key update")) {
            ps.setArray(1, c.createArrayOf("uuid", sorted));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    // drain: the lock is taken per row returned
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("locking owners failed", e);
        }
    }

    private static Lease read(ResultSet rs) throws SQLException {
        UUID coop = rs.getObject("coop_id", UUID.class);
        LeaseRequest request = new LeaseRequest(rs.getObject("org_id", UUID.class), Purpose.ofCode(rs.getString("purpose")),
                Set.copyOf(strings(rs.getArray("metrics"))),
                strings(rs.getArray("kinds")).stream().map(AggregateKind::of).collect(Collectors.toSet()),
                Granularity.of(rs.getString("granularity")),
                new TimeWindow(TermsColumns.instant(rs, "data_from"), TermsColumns.instant(rs, "data_until")),
                new TimeWindow(TermsColumns.instant(rs, "lease_from"), TermsColumns.instant(rs, "lease_until")),
                rs.getBigDecimal("epsilon_requested").doubleValue(),
                new CohortFilter(coop,
                        strings(rs.getArray("cohort_age_bands")).stream().map(AgeBand::valueOf).collect(Collectors.toSet()),
                        strings(rs.getArray("cohort_sexes")).stream().map(Sex::valueOf).collect(Collectors.toSet()),
                        Set.copyOf(strings(rs.getArray("cohort_regions")))));
        return new Lease(rs.getObject("lease_id", UUID.class), rs.getObject("org_id", UUID.class),
                rs.getObject("request_id", UUID.class), request, rs.getBigDecimal("epsilon_total"),
                rs.getBigDecimal("epsilon_spent"), rs.getInt("minimum_cohort"), rs.getInt("cohort_size"),
                rs.getLong("price_cents"), rs.getLong("credited_cents"), rs.getString("document"),
                TermsColumns.instant(rs, "created_at"));
    }

    private static List<String> strings(Array a) throws SQLException {
        return Arrays.asList((String[]) a.getArray());
    }
}
