package org.vitalvault.policy.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vitalvault.policy.Fixtures.COOP;
import static org.vitalvault.policy.Fixtures.clockAt;
import static org.vitalvault.policy.Fixtures.day;
import static org.vitalvault.policy.Fixtures.days;
import static org.vitalvault.policy.Fixtures.grantToResearcher;
import static org.vitalvault.policy.Fixtures.owner;
import static org.vitalvault.policy.Fixtures.request;
import static org.vitalvault.policy.Fixtures.terms;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.vitalvault.policy.Fixtures;
import org.vitalvault.policy.consent.AgeBand;
import org.vitalvault.policy.consent.Audience;
import org.vitalvault.policy.consent.ConsentGrant;
import org.vitalvault.policy.consent.CoopMembership;
import org.vitalvault.policy.consent.CoopTerms;
import org.vitalvault.policy.consent.Granularity;
import org.vitalvault.policy.consent.OwnerAttributes;
import org.vitalvault.policy.consent.PriceTier;
import org.vitalvault.policy.consent.Purpose;
import org.vitalvault.policy.consent.SystemPolicy;
import org.vitalvault.policy.ledger.PrivacyLedger;

class PolicyEngineTest {

    private final PolicyEngine engine = new ConsentPolicyEngine();

    private static List<ConsentGrant> owners(int from, int to, Fixtures.TermsSpec spec) {
        List<ConsentGrant> grants = new ArrayList<>();
        for (int i = from; i < to; i++) {
            grants.add(grantToResearcher(i, spec.build()));
        }
        return grants;
    }

    @Test
    void effectiveTermsAreTheSystemsKAndTheSmallerOfRequestAndSystemEpsilonNeverAnOwners() {
        List<ConsentGrant> grants = owners(0, 14, terms());
        grants.add(grantToResearcher(14, terms().k(15).epsilon(0.3, 3).build()));
        LeaseDecision d = engine.decide(request().epsilon(1).build(), grants, PrivacyLedger.empty(), clockAt(day(0)));
        assertTrue(d.approved());
        // The strict owner's terms would tell the organisation that such an owner exists: they bind that owner only.
        assertEquals(SystemPolicy.SMALL_CELL_MINIMUM, d.terms().minimumCohort());
        assertEquals(1.0, d.terms().epsilonPerLease());
        assertEquals(15, d.participants().get(owner(14)).minimumCohort());
        assertEquals(0.3, d.participants().get(owner(14)).epsilonPerLease());
        assertEquals(11, d.participants().get(owner(0)).minimumCohort());
        assertEquals(1.0, d.participants().get(owner(0)).epsilonPerLease());
    }

    @Test
    void everyCandidateIsAParticipantWhateverTheirOwnMinimumCohort() {
        // 12 owners ask k = 11, 3 ask k = 14, 2 ask k = 16; only 15 of them: no owner is dropped here any more,
        // their own minimums are settled on the noisy cohort size (LeaseApprovalTest).
        List<ConsentGrant> grants = owners(2, 12, terms());
        grants.addAll(owners(12, 15, terms().k(14)));
        grants.addAll(owners(15, 17, terms().k(16)));
        LeaseDecision d = engine.decide(request().build(), grants, PrivacyLedger.empty(), clockAt(day(0)));
        assertTrue(d.approved());
        assertEquals(15, d.eligibleOwners().size());
        assertEquals(16, d.participants().get(owner(16)).minimumCohort());
        assertTrue(d.exclusions().isEmpty());
    }

    @Test
    void theSystemMinimumCohortIsTheLeasesKWhateverTheCohortSize() {
        PolicyEngine strict = new ConsentPolicyEngine(new SystemPolicy(20, 2, 10, Duration.ofDays(366)));
        LeaseDecision d = strict.decide(request().build(), owners(0, 19, terms()), PrivacyLedger.empty(), clockAt(day(0)));
        assertTrue(d.approved(), "a cohort below k is denied on its noisy size by LeaseApproval, not here");
        assertEquals(20, d.terms().minimumCohort());
        assertEquals(19, d.eligibleOwners().size());
    }

    @Test
    void theSystemCapsEpsilonPerLeaseAndPerYear() {
        PolicyEngine strict = new ConsentPolicyEngine(new SystemPolicy(11, 0.5, 2, Duration.ofDays(366)));
        LeaseDecision d = strict.decide(request().epsilon(1).build(), owners(0, 12, terms()), PrivacyLedger.empty(), clockAt(day(0)));
        assertEquals(0.5, d.terms().epsilonPerLease());
        assertEquals(2.0, d.participants().get(owner(0)).epsilonPerYear());
    }

    @Test
    void theYearlyCapIsTheSmallestOfAllTheOwnersGrantsInForce() {
        List<ConsentGrant> grants = owners(0, 12, terms());
        grants.add(new ConsentGrant(new UUID(9, 9), owner(0), new Audience.Researcher(Fixtures.OTHER_RESEARCHER),
                terms().epsilon(0.5, 0.5).build(), null));
        LeaseDecision d = engine.decide(request().build(), grants, PrivacyLedger.empty(), clockAt(day(0)));
        assertEquals(0.5, d.participants().get(owner(0)).epsilonPerYear());
        assertEquals(5.0, d.participants().get(owner(1)).epsilonPerYear());
    }

    @Test
    void priceIsTheSumOfCreditsByTierGranularityMetricsAndPeriods() {
        List<ConsentGrant> grants = owners(0, 10, terms());
        grants.add(grantToResearcher(10, terms().tier(PriceTier.PREMIUM).build()));
        grants.add(grantToResearcher(11, terms().tier(PriceTier.COMMUNITY).build()));
        // 90 days = 3 periods, daily (×4), two metrics.
        LeaseDecision d = engine.decide(request().metrics("heart_rate", "spo2").build(), grants, PrivacyLedger.empty(), clockAt(day(0)));
        assertEquals(50 * 4 * 2 * 3, d.participants().get(owner(0)).creditCents());
        assertEquals(200 * 4 * 2 * 3, d.participants().get(owner(10)).creditCents());
        assertEquals(0, d.participants().get(owner(11)).creditCents());
        assertEquals(10 * 1200 + 4800, d.price().euroCents());
    }

    @Test
    void aGrantToAnyResearcherForAPurposeCoversEveryResearcherForThatPurposeOnly() {
        List<ConsentGrant> grants = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            grants.add(Fixtures.grant(i, new Audience.AnyResearcherFor(Purpose.PUBHLTH), terms().build()));
        }
        assertEquals(12, engine.decide(request().purpose(Purpose.PUBHLTH).build(), grants, PrivacyLedger.empty(), clockAt(day(0)))
                .eligibleOwners().size());
        LeaseDecision other = engine.decide(request().purpose(Purpose.HRESCH).build(), grants, PrivacyLedger.empty(), clockAt(day(0)));
        assertTrue(other.eligibleOwners().isEmpty());
        assertTrue(other.exclusions().isEmpty(), "owners with no grant for this audience are not listed");
    }

    @Test
    void aRequestToACoopCountsOnlyItsMembersOnItsTermsNarrowedByTheirOwn() {
        CoopTerms coop = new CoopTerms(COOP, terms().finest(Granularity.DAY).k(12).build());
        List<ConsentGrant> grants = new ArrayList<>();
        for (int i = 0; i < 13; i++) {
            grants.add(coop.adoptedBy(new CoopMembership(owner(i), COOP, day(-5), null,
                    i == 0 ? terms().finest(Granularity.WEEK).build() : null)).orElseThrow());
        }
        grants.addAll(owners(20, 40, terms()));
        LeaseDecision d = engine.decide(request().cohort(CohortFilter.membersOf(COOP)).build(), grants, PrivacyLedger.empty(), clockAt(day(0)));
        assertTrue(d.approved());
        assertEquals(12, d.eligibleOwners().size(), "members only, and not the member who allows weekly buckets only");
        assertEquals(12, d.participants().get(owner(1)).minimumCohort(), "the co-op's k binds its members");
        assertEquals(SystemPolicy.SMALL_CELL_MINIMUM, d.terms().minimumCohort(), "not the lease");
        assertEquals(ReasonCode.GRANULARITY_NOT_COVERED, d.exclusions().get(owner(0)));
    }

    @Test
    void aMemberWhoLeftNoLongerCounts() {
        CoopTerms coop = new CoopTerms(COOP, terms().build());
        List<ConsentGrant> grants = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            grants.add(coop.adoptedBy(new CoopMembership(owner(i), COOP, day(-5), i == 0 ? day(0) : null, null)).orElseThrow());
        }
        LeaseDecision d = engine.decide(request().cohort(CohortFilter.membersOf(COOP)).build(), grants, PrivacyLedger.empty(), clockAt(day(0)));
        assertFalse(d.eligibleOwners().contains(owner(0)));
        assertEquals(10, d.eligibleOwners().size());
        assertEquals(ReasonCode.GRANT_REVOKED, d.exclusions().get(owner(0)));
    }

    @Test
    void anAttributeFilterSelectsOwnersWhoSharedAMatchingValue() {
        Map<UUID, OwnerAttributes> shared = new java.util.HashMap<>();
        for (int i = 0; i < 15; i++) {
            shared.put(owner(i), new OwnerAttributes(AgeBand.AGE_40_49, null, i < 12 ? "DE-BY" : "FR"));
        }
        LeaseRequest r = request().cohort(new CohortFilter(null, Set.of(AgeBand.AGE_40_49), Set.of(), Set.of("DE"))).build();
        LeaseDecision d = engine.decide(r, owners(0, 15, terms()), shared, PrivacyLedger.empty(), clockAt(day(0)));
        assertEquals(12, d.eligibleOwners().size());
    }

    @Test
    void aDecisionAtTheInstantOfRevocationAlreadyExcludesTheOwner() {
        List<ConsentGrant> grants = owners(0, 11, terms());
        grants.set(0, grants.get(0).revoked(day(3)));
        assertTrue(engine.decide(request().build(), grants, PrivacyLedger.empty(), clockAt(day(3).minusNanos(1)))
                .eligibleOwners().contains(owner(0)));
        LeaseDecision at = engine.decide(request().build(), grants, PrivacyLedger.empty(), clockAt(day(3)));
        assertFalse(at.eligibleOwners().contains(owner(0)));
        assertEquals(ReasonCode.GRANT_REVOKED, at.exclusions().get(owner(0)));
    }

    @Test
    void dataWindowMustBeCoveredToTheSecond() {
        List<ConsentGrant> grants = owners(0, 12, terms().dataWindow(days(-30, 0)));
        assertEquals(12, engine.decide(request().dataWindow(days(-30, 0)).build(), grants, PrivacyLedger.empty(), clockAt(day(0)))
                .eligibleOwners().size());
        LeaseDecision d = engine.decide(request().dataWindow(new org.vitalvault.policy.consent.TimeWindow(day(-30).minusSeconds(1), day(0))).build(),
                grants, PrivacyLedger.empty(), clockAt(day(0)));
        assertTrue(d.eligibleOwners().isEmpty());
        assertEquals(ReasonCode.DATA_WINDOW_NOT_COVERED, d.exclusions().get(owner(11)));
    }
}
