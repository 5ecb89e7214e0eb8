package org.vitalvault.policy.lease;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.vitalvault.policy.consent.PriceTier;
import org.vitalvault.policy.internal.Checks;
import org.vitalvault.policy.privacy.DiscreteLaplace;

/**
 * Decides a lease request on noisy counts, and makes the only numbers an organisation learns from it:
 * an estimated cohort size and a price.
 *
 * <p><b>Mechanism.</b> The engine's participants are counted per price tier (each owner is in
 * exactly one tier: the dearest of their covering grants), and each tier's count gets discrete
 * Laplace noise of scale 1/ε. One owner changes one count by one, so the three noisy counts together
 * are ε-differentially private (parallel composition). Everything else is post-processing of them:
 * the estimated cohort size (their sum), the price (each tier's noisy count, floored at 0, times that
 * tier's credit), the approval (estimate ≥ k), and which owners take part (those whose own minimum
 * cohort is at most the estimate). A denial carries one request-level reason, never a per-owner one.
 *
 * <p><b>Cost.</b> ε per request, charged by the caller to the organisation's discovery budget
 * (decision 024), whatever the outcome.
 */
public final class LeaseApproval {

    private final SecureRandom random;
    private final double epsilon;
    private final DiscreteLaplace noise;

    /**
     * @param random  the source of noise
     * @param epsilon the ε one lease request spends
     */
    public LeaseApproval(SecureRandom random, double epsilon) {
        this.random = Checks.given("random", random);
        this.epsilon = Checks.positive("epsilon", epsilon);
        if (epsilon < 1e-3) {
            // As for queries (ReleaseLimits): a request that costs nothing is no request; and the sampler's integers stay small.
            throw new IllegalArgumentException("epsilon must be at least 0.001 per lease request, was " + epsilon);
        }
        this.noise = DiscreteLaplace.forEpsilon(BigInteger.ONE, epsilon);
    }

    /** The ε one request spends. */
    public double epsilon() {
        return epsilon;
    }

    /**
     * What an organisation may learn from a request, and the owners who take part.
     *
     * @param estimatedCohort the noisy number of eligible owners (may be below 0 or k)
     * @param noiseScale      the standard deviation of {@code estimatedCohort}'s noise
     * @param price           the price: each tier's noisy count (at least 0) times its credit, 0 when denied
     * @param participants    internal: the owners who take part (own minimum cohort at most the estimate), empty when denied
     * @param reasons         request-level reasons when denied, empty when approved
     */
    public record Outcome(boolean approved, EffectiveTerms terms, long estimatedCohort, double noiseScale, Price price,
                          Map<UUID, Participant> participants, List<Reason> reasons) {

        public Outcome {
            participants = Map.copyOf(participants);
            reasons = List.copyOf(reasons);
        }
    }

    /**
     * @param exact   the engine's decision for the request (internal, exact)
     * @param request the request
     */
    public Outcome approve(LeaseDecision exact, LeaseRequest request) {
        Checks.given("exact", exact);
        Checks.given("request", request);
        EffectiveTerms terms = exact.terms();
        if (!exact.approved()) {
            // Denied for what the request alone decides: nothing was counted, nothing to add noise to.
            return new Outcome(false, terms, 0, 0, Price.ZERO, Map.of(), exact.reasons());
        }
        Map<PriceTier, Long> counts = new EnumMap<>(PriceTier.class);
        for (PriceTier t : PriceTier.values()) {
            counts.put(t, 0L);
        }
        for (Participant p : exact.participants().values()) {
            counts.merge(p.priceTier(), 1L, Long::sum);
        }
        long estimate = 0;
        long cents = 0;
        for (PriceTier t : PriceTier.values()) {
            long noisy = counts.get(t) + noise.sample(random);
            estimate += noisy;
            long credit = PriceTable.creditCents(t, request.granularity(), request.metrics().size(), request.validity());
            cents = Math.addExact(cents, Math.multiplyExact(Math.max(0, noisy), credit));
        }
        double scale = noise.standardDeviation() * Math.sqrt(PriceTier.values().length);
        int k = terms.minimumCohort();
        if (estimate < k) {
            return new Outcome(false, terms, estimate, scale, Price.ZERO, Map.of(), List.of(new Reason(ReasonCode.COHORT_BELOW_K,
                    "The estimated number of owners who can take part (a noisy count) is below the minimum cohort of " + k
                            + "; no lease is granted over fewer owners.")));
        }
        Map<UUID, Participant> taking = new TreeMap<>();
        for (Participant p : exact.participants().values()) {
            if (p.minimumCohort() <= estimate) {
                taking.put(p.owner(), p);
            }
        }
        return new Outcome(true, terms, estimate, scale, new Price(cents), taking, List.of());
    }
}
