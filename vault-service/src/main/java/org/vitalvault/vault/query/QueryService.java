package org.vitalvault.vault.query;

import io.agroal.api.AgroalDataSource;
import jakarta.annotation.PostConstruct;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.vitalvault.policy.ledger.LedgerEntry;
import org.vitalvault.policy.release.AggregateQuery;
import org.vitalvault.policy.release.AggregateReleaser;
import org.vitalvault.policy.release.Release;
import org.vitalvault.policy.release.ReleaseFailedException;
import org.vitalvault.policy.release.ReleaseLimits;
import org.vitalvault.policy.release.ReleaseRefusedException;
import org.vitalvault.vault.audit.AuditKind;
import org.vitalvault.vault.audit.AuditLog;
import org.vitalvault.vault.auth.CallerResearcher;
import org.vitalvault.vault.auth.Organisation;
import org.vitalvault.vault.consent.TermsColumns;
import org.vitalvault.vault.datause.DataUseStore;
import org.vitalvault.vault.lease.Lease;
import org.vitalvault.vault.lease.LeaseDecisions;
import org.vitalvault.vault.lease.LeaseStore;
import org.vitalvault.vault.lease.Refusals;
import org.vitalvault.vault.lease.SignedRequests;
import org.vitalvault.vault.ledger.LedgerStore;
import org.vitalvault.vault.notify.Notice;
import org.vitalvault.vault.notify.NoticeKind;
import org.vitalvault.vault.notify.OwnerNotices;
import org.vitalvault.vault.notify.Sentences;
import org.vitalvault.vault.refusal.Conflict;
import org.vitalvault.vault.refusal.InvalidInput;
import org.vitalvault.vault.refusal.NotFound;
import org.vitalvault.vault.refusal.Refusal;

/**
 * Answers a signed query inside a lease. At every query the lease is decided again, now, among the
 * owners it was approved for (revocations, expiries, co-op departures, spent ledgers all count);
 * the policy's {@link AggregateReleaser} then includes those who can afford the query's ε, computes
 * from their rollups only, adds noise and shows only the cells whose noisy count reaches k.
 *
 * <p><b>Before anything is read</b> the query is checked against the {@link ReleaseLimits} (ε floor and
 * ceiling, released size: 400) and its id is claimed in {@code lease_query}: from then on the id is
 * final, whatever the outcome (reuse: 409), and the row records how the query ended (decision 024).
 *
 * <p><b>Two phases.</b> First, without locks: decide, and run the releaser on no data — it refuses
 * exactly as it would with data, for request-level reasons only (lease denied, not leased, budget
 * spent) and names who would be included — then read those owners' rollups (the slow part). Second, in one
 * transaction: lock the lease row and the included owners' rows (in id order), decide again from
 * what is committed now, among the owners read, release, and record the ledger charges, the lease's
 * budget, each owner's data-use entry, notification and credits, and the query's outcome. A failure after the data
 * was read ({@link ReleaseFailedException}) is recorded and charged exactly like a release. A revocation committed
 * before the second phase starts therefore keeps the owner out, and two queries never both pass a
 * cap: they charge one after the other.
 */
@ApplicationScoped
public class QueryService {

    private AggregateReleaser releaser;

    @Inject
    ReleaseLimits limits;

    @Inject
    SignedRequests signed;

    @Inject
    LeaseStore leases;

    @Inject
    LeaseDecisions decisions;

    @Inject
    CohortValues cohortValues;

    @Inject
    LedgerStore ledgers;

    @Inject
    DataUseStore dataUses;

    @Inject
    OwnerNotices notices;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Clock clock;

    @Inject
    MeterRegistry registry;

    @Inject
    AnswerSigner answerSigner;

    @Inject
    AuditLog audit;

    @PostConstruct
    void init() {
        releaser = new AggregateReleaser(new SecureRandom(), limits);
    }

    public SignedQueryAnswer answer(Organisation org, UUID leaseId, String body) {
        Lease lease = leases.find(org.id(), leaseId).orElseThrow(() -> new NotFound("lease " + leaseId));
        SignedRequests.Opened<QueryPayload> opened = signed.open(org, body, SignedRequests.QUERY_TYP, QueryPayload.class);
        QueryPayload payload = opened.payload();
        if (!leaseId.equals(payload.leaseId())) {
            throw InvalidInput.field("leaseId", "must be the id of the lease the query is posted to");
        }
        AggregateQuery query = payload.toQuery(lease.request().kinds());
        try {
            limits.check(query);
        } catch (IllegalArgumentException e) {
            // Decided from the query alone: the same answer whether or not there is any data.
            throw InvalidInput.field(e.getMessage().split("[ :]", 2)[0], e.getMessage());
        }
        // From here on the query id is used, whatever happens next: refused, answered or failed.
        Instant asked = now();
        if (!QuarkusTransaction.requiringNew().call(() -> claim(leaseId, payload, query, opened.jws(), asked))) {
            throw new Conflict("query-replayed", "Query id already used",
                    "this lease already received queryId " + payload.queryId()
                            + "; a query id is final once used: sign a new query with a new queryId");
        }
        QueryAnswer answer;
        try {
            answer = release(org, lease, payload, query);
        } catch (Refusal r) {
            QuarkusTransaction.requiringNew().run(() -> finish(leaseId, payload.queryId(), "REFUSED", null));
            throw r;
        }
        SignedQueryAnswer signedAnswer = answerSigner.sign(lease, opened.jws(), answer);
        // Kept with the query: the organisation's signed question and the vault's signed answer, side by side.
        QuarkusTransaction.requiringNew().run(() -> finish(leaseId, payload.queryId(), "ANSWERED", signedAnswer.signed()));
        return signedAnswer;
    }

    private QueryAnswer release(Organisation org, Lease lease, QueryPayload payload, AggregateQuery query) {
        UUID leaseId = lease.id();
        long t0 = System.nanoTime();
        Instant now = now();
        LeaseDecisions.Made first = decisions.decide(lease.request(), leases.participants(leaseId), now);
        Release dry = release(lease, first, query, Map.of());
        List<UUID> included = dry.charges().stream().map(LedgerEntry::owner).toList();
        long t1 = System.nanoTime();
        Map<Instant, Map<UUID, Double>> values = cohortValues.read(included, query, lease.request().dataWindow());
        long t2 = System.nanoTime();
        phase("decide").record(t1 - t0, TimeUnit.NANOSECONDS);
        phase("read").record(t2 - t1, TimeUnit.NANOSECONDS);

        QueryAnswer answer = QuarkusTransaction.requiringNew().call(() -> {
            if (!leases.lockActiveOrganisation(org.id())) {
                throw CallerResearcher.suspended();
            }
            Lease locked = leases.lock(org.id(), leaseId).orElseThrow(() -> new NotFound("lease " + leaseId));
            leases.lockOwners(included);
            Instant at = now();
            LeaseDecisions.Made fresh = decisions.decide(locked.request(), Set.copyOf(included), at);
            Release release;
            try {
                release = release(locked, fresh, query, values);
            } catch (ReleaseFailedException e) {
                // Whether computing fails could depend on the data: the failure costs what a release costs.
                record(org, locked, payload, query, e.charged(), at, "FAILED");
                finish(leaseId, payload.queryId(), "FAILED", null);
                return null;
            }
            record(org, locked, payload, query, release, at, "ANSWERED");
            finish(leaseId, payload.queryId(), "ANSWERED", null);
            List<QueryAnswer.Bucket> buckets = new ArrayList<>();
            release.buckets().forEach(b -> buckets.add(QueryAnswer.Bucket.of(b)));
            BigDecimal total = release.budget().total();
            BigDecimal spent = release.budget().spent();
            return new QueryAnswer(leaseId, payload.queryId(), query.metric(), query.granularity().name(), query.epsilon(), at,
                    fresh.decision().terms().minimumCohort(), buckets,
                    new QueryAnswer.Budget(total.doubleValue(), spent.doubleValue(), release.budget().remaining()));
        });
        if (answer == null) {
            throw new IllegalStateException("a release failed after it was charged (query " + payload.queryId() + ")");
        }
        phase("release").record(System.nanoTime() - t2, TimeUnit.NANOSECONDS);
        // At /q/metrics as vitalvault_query_epsilon_spent_total: the ε answered queries charged, summed.
        Counter.builder("vitalvault.query.epsilon.spent").description("ε charged by answered queries")
                .register(registry).increment(query.epsilon());
        return answer;
    }

    /**
     * The charge of a release (or of a failed one): ledger, data uses and their notifications, credits,
     * the lease budget, and last each owner's entry in the transparency log — all in the release's
     * transaction, so a charge on record is in every charged owner's chain and a rolled-back one in none.
     */
    private void record(Organisation org, Lease locked, QueryPayload payload, AggregateQuery query, Release release,
                        Instant at, String outcome) {
        UUID leaseId = locked.id();
        Set<UUID> charged = new TreeSet<>();
        release.charges().forEach(c -> charged.add(c.owner()));
        ledgers.record(release.charges());
        DataUseStore.Use use = new DataUseStore.Use(leaseId, payload.queryId(), org.id(), org.name(),
                locked.request().purpose().name(), query.metric(), query.granularity().name(),
                max(query.buckets().get(0), locked.request().dataWindow().from()),
                min(QueryPayload.end(query), locked.request().dataWindow().until()), query.epsilon(), at);
        dataUses.record(charged, use);
        // One notice per included owner, one statement for all of them (OwnerNotices).
        notices.postAll(charged, new Notice(NoticeKind.DATA_USE, Sentences.dataUsed(org.name(), query.metric(),
                query.granularity(), locked.request().purpose(), query.epsilon())));
        Map<UUID, Long> credited = leases.afterRelease(leaseId, org.id(), release.budget().spent(), charged, at);
        // One batched append per credit amount (owners credited now, by cents; the rest): a handful of
        // appends of a constant number of statements each, however many owners were included.
        Map<Long, List<UUID>> byCredit = new TreeMap<>();
        for (UUID owner : charged) {
            byCredit.computeIfAbsent(credited.getOrDefault(owner, 0L), c -> new ArrayList<>()).add(owner);
        }
        Map<String, Object> details = DataUseDetails.of(use, query.kinds(), outcome);
        byCredit.forEach((cents, owners) -> audit.owners(owners, AuditKind.DATA_USE,
                cents == 0 ? details : DataUseDetails.withCredit(details, cents)));
    }

    /**
     * Where a query's time goes, at /q/metrics as {@code vitalvault_query_phase_seconds{phase}}:
     * deciding who is included, reading their sealed rollups, releasing and recording in one
     * transaction (answered queries only).
     */
    private Timer phase(String name) {
        return Timer.builder("vitalvault.query.phase").tag("phase", name)
                .description("time per answered query spent in one phase").register(registry);
    }

    private Release release(Lease lease, LeaseDecisions.Made made, AggregateQuery query,
                            Map<Instant, Map<UUID, Double>> values) {
        try {
            return releaser.release(lease.id(), made.decision(), lease.budget(), made.ledger(), query, values);
        } catch (ReleaseRefusedException e) {
            throw Refusals.queryRefused(made.decision().approved() ? List.of(e.reason()) : made.decision().reasons());
        }
    }

    /** Writes the query's row as pending; false when this lease already has the query id. */
    private boolean claim(UUID leaseId, QueryPayload payload, AggregateQuery query, String jws, Instant at) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("insert into lease_query"
                + " (lease_id, query_id, metric, granularity, data_from, data_until, epsilon, asked_at, request_jws, outcome)"
                + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, 'PENDING') on conflict do nothing")) {
            ps.setObject(1, leaseId);
            ps.setObject(2, payload.queryId());
            ps.setString(3, query.metric());
            ps.setString(4, query.granularity().name());
            ps.setObject(5, TermsColumns.timestamp(query.buckets().get(0)));
            ps.setObject(6, TermsColumns.timestamp(QueryPayload.end(query)));
            ps.setBigDecimal(7, BigDecimal.valueOf(query.epsilon()));
            ps.setObject(8, TermsColumns.timestamp(at));
            ps.setString(9, jws);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("recording a query failed", e);
        }
    }

    /** Records how the query ended, and its signed answer when there is one (null keeps what is stored). */
    private void finish(UUID leaseId, UUID queryId, String outcome, String signedAnswer) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "update lease_query set outcome = ?, answer = coalesce(?, answer) where lease_id = ? and query_id = ?")) {
            ps.setString(1, outcome);
            ps.setString(2, signedAnswer);
            ps.setObject(3, leaseId);
            ps.setObject(4, queryId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("recording a query's outcome failed", e);
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
