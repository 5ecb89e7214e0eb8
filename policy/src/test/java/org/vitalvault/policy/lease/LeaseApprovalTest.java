package org.vitalvault.policy.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vitalvault.policy.Fixtures.clockAt;
import static org.vitalvault.policy.Fixtures.day;
import static org.vitalvault.policy.Fixtures.days;
import static org.vitalvault.policy.Fixtures.grantToResearcher;
import static org.vitalvault.policy.Fixtures.owner;
import static org.vitalvault.policy.Fixtures.request;
import static org.vitalvault.policy.Fixtures.terms;

import java.math.BigInteger;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.vitalvault.policy.Fixtures;
import org.vitalvault.policy.consent.ConsentGrant;
import org.vitalvault.policy.consent.PriceTier;
import org.vitalvault.policy.consent.SystemPolicy;
import org.vitalvault.policy.ledger.PrivacyLedger;
import org.vitalvault.policy.privacy.DiscreteLaplace;

/**
 * LeaseApproval: the decision an organisation sees, made on per-tier noisy counts of the engine's
 * exact participants. At ε = 1000 the noise is 0 but with odds of about e^−1000, so the estimate is
 * the exact count; at a small ε it is not.
 */
class LeaseApprovalTest {

    private static final double EXACT = 1000;
    private final PolicyEngine engine = new ConsentPolicyEngine();

    static SecureRandom seeded(long seed) {
        try {
            SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
            r.setSeed(seed);
            return r;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<ConsentGrant> owners(int from, int to, Fixtures.TermsSpec spec) {
        List<ConsentGrant> grants = new ArrayList<>();
        for (int i = from; i < to; i++) {
            grants.add(grantToResearcher(i, spec.build()));
        }
        return grants;
    }

    private LeaseApproval.Outcome approve(PolicyEngine e, double epsilon, LeaseRequest request, List<ConsentGrant> grants) {
        LeaseDecision exact = e.decide(request, grants, PrivacyLedger.empty(), clockAt(day(0)));
        return new LeaseApproval(seeded(7), epsilon).approve(exact, request);
    }

    private LeaseApproval.Outcome approve(double epsilon, List<ConsentGrant> grants) {
        return approve(engine, epsilon, request().build(), grants);
    }

    @Test
    void atALargeEpsilonTheEstimateIsTheExactCountAndKDecides() {
        LeaseApproval.Outcome fifteen = approve(EXACT, owners(0, 15, terms()));
        assertTrue(fifteen.approved());
        assertEquals(15, fifteen.estimatedCohort());
        assertEquals(15, fifteen.participants().size());
        assertTrue(fifteen.reasons().isEmpty());

        LeaseApproval.Outcome eleven = approve(EXACT, owners(0, 11, terms()));
        assertTrue(eleven.approved(), "k owners are enough");

        LeaseApproval.Outcome ten = approve(EXACT, owners(0, 10, terms()));
        assertFalse(ten.approved());
        assertEquals(List.of(ReasonCode.COHORT_BELOW_K), ten.reasons().stream().map(Reason::code).toList());
        assertTrue(ten.participants().isEmpty());
        assertEquals(Price.ZERO, ten.price());
    }

    @Test
    void aDenialNamesNoOwnerAndStatesNoCount() {
        LeaseApproval.Outcome d = approve(EXACT, owners(0, 5, terms()));
        assertFalse(d.approved());
        for (Reason r : d.reasons()) {
            assertFalse(r.message().contains("5 "), "the estimate is not in the message: " + r.message());
            for (int i = 0; i < 5; i++) {
                assertFalse(r.message().contains(owner(i).toString()));
            }
        }
    }

    @Test
    void perOwnerCodesNeverBecomeReasons() {
        List<ConsentGrant> grants = owners(0, 20, terms());
        for (int i = 0; i < 15; i++) {
            grants.set(i, grants.get(i).revoked(day(-1)));
        }
        LeaseApproval.Outcome d = approve(EXACT, grants);
        assertFalse(d.approved());
        assertEquals(List.of(ReasonCode.COHORT_BELOW_K), d.reasons().stream().map(Reason::code).toList(),
                "not GRANT_REVOKED: that is the owners' business");
    }

    @Test
    void noGrantsAtAllAreDeniedAsCohortBelowK() {
        LeaseApproval.Outcome d = approve(EXACT, List.of());
        assertFalse(d.approved());
        assertEquals(List.of(ReasonCode.COHORT_BELOW_K), d.reasons().stream().map(Reason::code).toList());
    }

    @Test
    void theSystemMinimumCohortIsTheThresholdOfApproval() {
        PolicyEngine strict = new ConsentPolicyEngine(new SystemPolicy(20, 2, 10, Duration.ofDays(366)));
        assertFalse(approve(strict, EXACT, request().build(), owners(0, 19, terms())).approved());
        LeaseApproval.Outcome twenty = approve(strict, EXACT, request().build(), owners(0, 20, terms()));
        assertTrue(twenty.approved());
        assertEquals(20, twenty.terms().minimumCohort());
    }

    @Test
    void ownersWhoseOwnMinimumExceedsTheEstimateDoNotTakePart() {
        // 12 owners ask k = 11, 3 ask k = 14, 2 ask k = 16: 17 owners, 16 ≤ 17 keeps everyone.
        List<ConsentGrant> grants = owners(0, 12, terms());
        grants.addAll(owners(12, 15, terms().k(14)));
        grants.addAll(owners(15, 17, terms().k(16)));
        assertEquals(17, approve(EXACT, grants).participants().size());

        // Without two of the k = 11 owners: an estimate of 15; the k = 16 pair does not take part, the
        // k = 14 trio does (one comparison with the estimate, no fixed point: a second round would depend
        // on the exact count of those left).
        List<ConsentGrant> fewer = new ArrayList<>(grants.subList(2, 17));
        LeaseApproval.Outcome d = approve(EXACT, fewer);
        assertTrue(d.approved());
        assertEquals(15, d.estimatedCohort());
        assertEquals(13, d.participants().size());
        assertFalse(d.participants().containsKey(owner(15)));
        assertFalse(d.participants().containsKey(owner(16)));
        assertTrue(d.participants().containsKey(owner(14)));

        // With one more k = 11 owner instead: 16, the pair takes part (16 ≤ 16).
        List<ConsentGrant> more = new ArrayList<>(fewer);
        more.add(grantToResearcher(40, terms().build()));
        assertEquals(16, approve(EXACT, more).participants().size());
    }

    @Test
    void ownersWhoAllDemandMoreThanTheEstimateLeaveAnApprovedLeaseWithNobody() {
        LeaseApproval.Outcome d = approve(EXACT, owners(0, 20, terms().k(25)));
        assertTrue(d.approved(), "20 ≥ k = 11: whose own minimum it is must not show in the outcome");
        assertTrue(d.participants().isEmpty());
    }

    @Test
    void atASmallEpsilonTheEstimateVariesAroundTheCountWithTheStatedScale() {
        LeaseRequest request = request().build();
        LeaseDecision exact = engine.decide(request, owners(0, 40, terms()), PrivacyLedger.empty(), clockAt(day(0)));
        LeaseApproval approval = new LeaseApproval(seeded(5), 0.1);
        int runs = 2000;
        double sum = 0;
        double squares = 0;
        Set<Long> seen = new HashSet<>();
        int denied = 0;
        for (int i = 0; i < runs; i++) {
            LeaseApproval.Outcome o = approval.approve(exact, request);
            seen.add(o.estimatedCohort());
            sum += o.estimatedCohort();
            squares += (double) o.estimatedCohort() * o.estimatedCohort();
            denied += o.approved() ? 0 : 1;
            assertEquals(o.estimatedCohort() >= 11, o.approved());
        }
        double mean = sum / runs;
        double sd = Math.sqrt(squares / runs - mean * mean);
        double stated = DiscreteLaplace.forEpsilon(BigInteger.ONE, 0.1).standardDeviation() * Math.sqrt(3);
        assertEquals(stated, approval.approve(exact, request).noiseScale(), 1e-9, "three tiers' noise added up");
        // Three draws of scale 10: sd ≈ 24.5; the mean of 2,000 has sd ≈ 0.55.
        assertEquals(40, mean, 2.5);
        assertEquals(stated, sd, 0.1 * stated);
        assertTrue(seen.size() > 50, "the estimate is not the count: " + seen.size() + " distinct values");
        assertTrue(denied > 0, "forty owners are sometimes denied at ε = 0.1");
    }

    @Test
    void atALargeEpsilonThePriceIsEachTiersCountTimesItsCredit() {
        List<ConsentGrant> grants = owners(0, 10, terms());
        grants.add(grantToResearcher(10, terms().tier(PriceTier.PREMIUM).build()));
        grants.add(grantToResearcher(11, terms().tier(PriceTier.COMMUNITY).build()));
        LeaseRequest r = request().metrics("heart_rate", "spo2").build();
        LeaseDecision exact = engine.decide(r, grants, PrivacyLedger.empty(), clockAt(day(0)));
        LeaseApproval.Outcome o = new LeaseApproval(seeded(3), EXACT).approve(exact, r);
        // 90 days = 3 periods, daily (×4), two metrics: 1,200 a STANDARD owner, 4,800 a PREMIUM one, 0 a COMMUNITY one.
        assertEquals(10 * 1200 + 4800, o.price().euroCents());
        assertEquals(exact.price(), o.price());
    }

    @Test
    void thePriceIsMadeFromNoisyTierCountsNeverBelowZero() {
        LeaseRequest r = request().build();
        // Twenty PREMIUM owners, daily heart rate for 90 days: 200 × 4 × 1 × 3 = 2,400 cents each.
        LeaseDecision premium = engine.decide(r, owners(0, 20, terms().tier(PriceTier.PREMIUM)), PrivacyLedger.empty(), clockAt(day(0)));
        LeaseDecision community = engine.decide(r, owners(0, 20, terms().tier(PriceTier.COMMUNITY)), PrivacyLedger.empty(), clockAt(day(0)));
        LeaseApproval approval = new LeaseApproval(seeded(9), 0.5);
        Set<Long> prices = new HashSet<>();
        long communityAboveZero = 0;
        for (int i = 0; i < 300; i++) {
            LeaseApproval.Outcome p = approval.approve(premium, r);
            if (p.approved()) {
                prices.add(p.price().euroCents());
                // STANDARD (600 each) and PREMIUM (2,400 each) noisy counts at least 0, COMMUNITY's worth nothing.
                assertEquals(0, p.price().euroCents() % 600);
            }
            LeaseApproval.Outcome c = approval.approve(community, r);
            if (c.approved()) {
                assertTrue(c.price().euroCents() >= 0);
                communityAboveZero += c.price().euroCents() > 0 ? 1 : 0;
            } else {
                assertEquals(Price.ZERO, c.price());
            }
        }
        assertTrue(prices.size() > 5, "the price varies with the noise: " + prices);
        assertTrue(communityAboveZero > 0, "an all-COMMUNITY cohort is priced on noisy counts of the dearer tiers too");
    }

    @Test
    void aRequestLevelDenialSpendsNoNoiseAndCarriesItsOwnReason() {
        CountingRandom random = new CountingRandom();
        LeaseApproval approval = new LeaseApproval(random, 0.1);
        LeaseRequest tooLong = request().validity(days(0, 730)).build();
        LeaseDecision exact = engine.decide(tooLong, owners(0, 40, terms()), PrivacyLedger.empty(), clockAt(day(0)));
        LeaseApproval.Outcome o = approval.approve(exact, tooLong);
        assertFalse(o.approved());
        assertEquals(List.of(ReasonCode.LEASE_PERIOD_TOO_LONG), o.reasons().stream().map(Reason::code).toList());
        assertEquals(0, o.estimatedCohort());
        assertEquals(0, o.noiseScale());
        assertEquals(Price.ZERO, o.price());
        assertEquals(0, random.draws, "nothing was counted, so nothing was noised");

        LeaseRequest fine = request().build();
        approval.approve(engine.decide(fine, owners(0, 40, terms()), PrivacyLedger.empty(), clockAt(day(0))), fine);
        assertTrue(random.draws > 0, "the counter sees the draws of an approval");
    }

    @Test
    void epsilonMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new LeaseApproval(seeded(1), 0));
        assertThrows(IllegalArgumentException.class, () -> new LeaseApproval(seeded(1), Double.NaN));
        assertEquals(0.1, new LeaseApproval(seeded(1), 0.1).epsilon());
    }

    /** Counts every request for random bytes (every draw of the samplers goes through nextBytes). */
    static final class CountingRandom extends SecureRandom {
        private static final long serialVersionUID = 1L;
        int draws;

        @Override
        public synchronized void nextBytes(byte[] bytes) {
            draws++;
            super.nextBytes(bytes);
        }
    }
}
