package org.vitalvault.policy.lease;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.vitalvault.policy.consent.ConsentGrant;
import org.vitalvault.policy.consent.OwnerAttributes;
import org.vitalvault.policy.consent.PriceTier;
import org.vitalvault.policy.consent.SystemPolicy;
import org.vitalvault.policy.consent.Terms;
import org.vitalvault.policy.internal.Checks;
import org.vitalvault.policy.ledger.PrivacyLedger;

/**
 * The {@link PolicyEngine}: owner by owner, the grants that cover the request, then the cohort
 * filter and the ledger, under one {@link SystemPolicy}. Exact and internal: what an organisation
 * sees is made from it by {@link LeaseApproval}, on noisy counts.
 *
 * <p><b>Per owner.</b> Each grant is checked in this order, and the first failure is its reason:
 * audience, revocation, validity start, validity end, purpose, metrics, kinds, granularity, data
 * window. An owner with at least one covering grant is a candidate, bound by the strictest of those
 * grants (largest minimum cohort, smallest per-lease ε, dearest tier) and the system; their yearly cap
 * is the smallest of all their grants in force and the system's. An owner with none is excluded for
 * the reason of the grant that got furthest. A candidate who does not pass the cohort filter, or
 * whose yearly ε is spent, is excluded. Every candidate is a participant of the decision.
 *
 * <p><b>Nothing here depends on counts.</b> The decision is denied only for what the request alone
 * decides (its period ended, or is longer than the system allows). Its effective terms are the
 * request's and the system's, never an owner's: k is the system's, ε the smaller of the request's and
 * the system's per-lease cap — an owner's stricter terms bind that owner only (their own per-lease ε is
 * enforced by the ledger at each query, their own minimum cohort by {@link LeaseApproval} on the noisy
 * cohort size). A term that depended on the strictest owner would tell the organisation that such an
 * owner exists.
 *
 * <p>{@link LeaseDecision#exclusions()} name owners and say why they do not count: they are for the
 * owners' own audit trail, never for the organisation.
 */
public final class ConsentPolicyEngine implements PolicyEngine {

    private final SystemPolicy system;

    /** @param system the deployment's own terms */
    public ConsentPolicyEngine(SystemPolicy system) {
        this.system = Checks.given("system", system);
    }

    /** The engine under {@link SystemPolicy#DEFAULT}. */
    public ConsentPolicyEngine() {
        this(SystemPolicy.DEFAULT);
    }

    @Override
    public LeaseDecision decide(LeaseRequest request, Collection<ConsentGrant> grants, Map<UUID, OwnerAttributes> sharedAttributes,
                                PrivacyLedger ledger, Clock clock) {
        Checks.given("request", request);
        Checks.given("grants", grants);
        Checks.given("sharedAttributes", sharedAttributes);
        Checks.given("ledger", ledger);
        Instant now = Checks.given("clock", clock).instant();

        if (!request.validity().until().isAfter(now)) {
            return denied(request, now, Map.of(), List.of(new Reason(ReasonCode.LEASE_PERIOD_ENDED,
                    "The lease period ended at " + request.validity().until() + ".")));
        }
        if (request.validity().length().compareTo(system.maxLeasePeriod()) > 0) {
            return denied(request, now, Map.of(), List.of(new Reason(ReasonCode.LEASE_PERIOD_TOO_LONG,
                    "A lease may last at most " + system.maxLeasePeriod().toDays() + " days.")));
        }

        Map<UUID, List<ConsentGrant>> byOwner = new TreeMap<>();
        for (ConsentGrant g : grants) {
            byOwner.computeIfAbsent(Checks.given("grant", g).owner(), o -> new ArrayList<>()).add(g);
        }

        Map<UUID, ReasonCode> exclusions = new TreeMap<>();
        Map<UUID, Candidate> candidates = new TreeMap<>();
        for (Map.Entry<UUID, List<ConsentGrant>> e : byOwner.entrySet()) {
            UUID owner = e.getKey();
            Candidate c = candidate(owner, e.getValue(), request, now);
            if (c.exclusion != null) {
                if (c.exclusion != ReasonCode.NO_MATCHING_GRANT) {
                    exclusions.put(owner, c.exclusion);
                }
            } else if (!request.cohort().admits(sharedAttributes.get(owner))) {
                exclusions.put(owner, ReasonCode.COHORT_FILTER_NOT_MET);
            } else if (ledger.remainingInYear(owner, c.epsilonPerYear, now) <= 0) {
                exclusions.put(owner, ReasonCode.BUDGET_EXHAUSTED);
            } else {
                candidates.put(owner, c);
            }
        }

        // No decision here depends on how many owners there are: the size of the cohort, and every owner's
        // own minimum cohort, are settled on a noisy count by LeaseApproval (decision 024).
        EffectiveTerms terms = terms(request, system.minimumCohort(), Math.min(request.epsilon(), system.maxEpsilonPerLease()));
        Map<UUID, Participant> participants = new TreeMap<>();
        long total = 0;
        for (Candidate c : candidates.values()) {
            long credit = PriceTable.creditCents(c.priceTier, request.granularity(), request.metrics().size(), request.validity());
            total = Math.addExact(total, credit);
            participants.put(c.owner, new Participant(c.owner, c.grants, c.minimumCohort,
                    Math.min(c.epsilonPerLease, system.maxEpsilonPerLease()), c.epsilonPerYear, c.priceTier, credit));
        }
        return new LeaseDecision(true, terms, participants, exclusions, List.of(), new Price(total), now);
    }

    private LeaseDecision denied(LeaseRequest request, Instant now, Map<UUID, ReasonCode> exclusions, List<Reason> reasons) {
        EffectiveTerms terms = terms(request, system.minimumCohort(), Math.min(request.epsilon(), system.maxEpsilonPerLease()));
        return new LeaseDecision(false, terms, Map.of(), exclusions, reasons, Price.ZERO, now);
    }

    private static EffectiveTerms terms(LeaseRequest r, int k, double epsilon) {
        return new EffectiveTerms(r.purpose(), r.metrics(), r.kinds(), r.granularity(), r.dataWindow(), r.validity(), k, epsilon);
    }

    /** The owner as a candidate, or with the reason they are not one. */
    private Candidate candidate(UUID owner, List<ConsentGrant> grants, LeaseRequest request, Instant now) {
        Candidate c = new Candidate(owner);
        ReasonCode furthest = null;
        c.epsilonPerYear = system.maxEpsilonPerYear();
        for (ConsentGrant g : grants) {
            if (g.isInForceAt(now)) {
                c.epsilonPerYear = Math.min(c.epsilonPerYear, g.terms().epsilonPerYear());
            }
            ReasonCode failure = firstFailure(g, request, now);
            if (failure == null) {
                Terms t = g.terms();
                c.grants.add(g.id());
                c.minimumCohort = Math.max(c.minimumCohort, t.minimumCohort());
                c.epsilonPerLease = Math.min(c.epsilonPerLease, t.epsilonPerLease());
                c.priceTier = PriceTier.dearer(c.priceTier, t.priceTier());
            } else if (furthest == null || failure.compareTo(furthest) > 0) {
                furthest = failure;
            }
        }
        if (c.grants.isEmpty()) {
            c.exclusion = furthest;
        }
        return c;
    }

    /** The first check {@code g} fails for {@code r} at {@code now}, in {@link ReasonCode} order; null when it covers. */
    static ReasonCode firstFailure(ConsentGrant g, LeaseRequest r, Instant now) {
        Terms t = g.terms();
        if (!g.audience().admits(r.researcher(), r.purpose(), r.cohort().coop())) {
            return ReasonCode.NO_MATCHING_GRANT;
        }
        if (g.isRevokedAt(now)) {
            return ReasonCode.GRANT_REVOKED;
        }
        if (now.isBefore(t.validity().from())) {
            return ReasonCode.GRANT_NOT_YET_VALID;
        }
        if (!now.isBefore(t.validity().until())) {
            return ReasonCode.GRANT_EXPIRED;
        }
        if (!t.purposes().contains(r.purpose())) {
            return ReasonCode.PURPOSE_NOT_COVERED;
        }
        if (!t.metrics().containsAll(r.metrics())) {
            return ReasonCode.METRIC_NOT_COVERED;
        }
        if (!t.kinds().containsAll(r.kinds())) {
            return ReasonCode.AGGREGATE_KIND_NOT_COVERED;
        }
        if (!r.granularity().isAtLeastAsCoarseAs(t.granularity())) {
            return ReasonCode.GRANULARITY_NOT_COVERED;
        }
        if (!t.dataWindow().covers(r.dataWindow())) {
            return ReasonCode.DATA_WINDOW_NOT_COVERED;
        }
        return null;
    }

    /** Mutable while one owner's grants are read; discarded after the decision. */
    private static final class Candidate {
        final UUID owner;
        final Set<UUID> grants = new HashSet<>();
        int minimumCohort = SystemPolicy.SMALL_CELL_MINIMUM;
        double epsilonPerLease = Double.POSITIVE_INFINITY;
        double epsilonPerYear;
        PriceTier priceTier = PriceTier.COMMUNITY;
        ReasonCode exclusion;

        Candidate(UUID owner) {
            this.owner = owner;
        }
    }
}
