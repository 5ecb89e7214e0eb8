package org.vitalvault.policy.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vitalvault.policy.Fixtures.RESEARCHER;
import static org.vitalvault.policy.Fixtures.clockAt;
import static org.vitalvault.policy.Fixtures.day;
import static org.vitalvault.policy.Fixtures.days;
import static org.vitalvault.policy.Fixtures.grantToResearcher;
import static org.vitalvault.policy.Fixtures.owner;
import static org.vitalvault.policy.Fixtures.request;
import static org.vitalvault.policy.Fixtures.terms;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.vitalvault.policy.Fixtures;
import org.vitalvault.policy.consent.AgeBand;
import org.vitalvault.policy.consent.AggregateKind;
import org.vitalvault.policy.consent.Audience;
import org.vitalvault.policy.consent.ConsentGrant;
import org.vitalvault.policy.consent.Granularity;
import org.vitalvault.policy.consent.OwnerAttributes;
import org.vitalvault.policy.consent.Purpose;
import org.vitalvault.policy.consent.Sex;
import org.vitalvault.policy.ledger.LedgerEntry;
import org.vitalvault.policy.ledger.PrivacyLedger;

/**
 * One example per exclusion code: twenty owners whose grants all fail the same way. The decision is
 * still approved (nothing in it depends on how many owners count; LeaseApproval decides on a noisy
 * count), with nobody taking part and each owner's own code kept for their audit trail. Only the
 * request-level codes deny.
 */
class PolicyEngineExclusionTest {

    private static final int OWNERS = 20;
    private final PolicyEngine engine = new ConsentPolicyEngine();

    private static List<ConsentGrant> each(IntFunction<ConsentGrant> grant) {
        List<ConsentGrant> grants = new ArrayList<>();
        for (int i = 0; i < OWNERS; i++) {
            grants.add(grant.apply(i));
        }
        return grants;
    }

    private LeaseDecision decide(LeaseRequest request, List<ConsentGrant> grants) {
        return engine.decide(request, grants, PrivacyLedger.empty(), clockAt(day(0)));
    }

    /** Request-level: denied, with this reason alone, nobody and no price. */
    private static void assertDeniedFor(ReasonCode code, LeaseDecision d) {
        assertFalse(d.approved());
        assertEquals(List.of(code), d.reasons().stream().map(Reason::code).toList());
        assertTrue(d.eligibleOwners().isEmpty());
        assertEquals(Price.ZERO, d.price());
    }

    /** Per owner: nobody takes part, every owner is excluded for this code, and the organisation is told nothing of it. */
    private static void assertEveryOwnerExcludedFor(ReasonCode code, LeaseDecision d) {
        assertTrue(d.approved(), "per-owner codes never deny: " + d.reasons());
        assertTrue(d.reasons().isEmpty());
        assertTrue(d.eligibleOwners().isEmpty());
        assertEquals(Price.ZERO, d.price());
        assertEquals(OWNERS, d.exclusions().size());
        for (int i = 0; i < OWNERS; i++) {
            assertEquals(code, d.exclusions().get(owner(i)), "owner " + i);
        }
    }

    @Test
    void twentyCoveringGrantsAreApproved() {
        LeaseDecision d = decide(request().build(), each(i -> grantToResearcher(i, terms().build())));
        assertTrue(d.approved(), d.reasons().toString());
        assertEquals(OWNERS, d.eligibleOwners().size());
        assertTrue(d.reasons().isEmpty());
    }

    @Test
    void grantsToAnotherResearcherCountNobodyAndListNobody() {
        LeaseDecision d = decide(request().build(),
                each(i -> Fixtures.grant(i, new Audience.Researcher(Fixtures.OTHER_RESEARCHER), terms().build())));
        assertTrue(d.approved());
        assertTrue(d.eligibleOwners().isEmpty());
        assertTrue(d.exclusions().isEmpty(), "owners with no grant for this audience are not listed");
    }

    @Test
    void noGrantsAtAllCountNobody() {
        LeaseDecision d = decide(request().build(), List.of());
        assertTrue(d.approved());
        assertTrue(d.eligibleOwners().isEmpty());
        assertTrue(d.exclusions().isEmpty());
        assertEquals(Price.ZERO, d.price());
    }

    @Test
    void revokedGrantsAreGrantRevoked() {
        assertEveryOwnerExcludedFor(ReasonCode.GRANT_REVOKED,
                decide(request().build(), each(i -> grantToResearcher(i, terms().build()).revoked(day(0)))));
    }

    @Test
    void grantsValidFromTomorrowAreGrantNotYetValid() {
        assertEveryOwnerExcludedFor(ReasonCode.GRANT_NOT_YET_VALID,
                decide(request().build(), each(i -> grantToResearcher(i, terms().validity(days(1, 100)).build()))));
    }

    @Test
    void grantsThatEndedTodayAreGrantExpired() {
        assertEveryOwnerExcludedFor(ReasonCode.GRANT_EXPIRED,
                decide(request().build(), each(i -> grantToResearcher(i, terms().validity(days(-100, 0)).build()))));
    }

    @Test
    void grantsForPublicHealthOnlyArePurposeNotCoveredForResearch() {
        assertEveryOwnerExcludedFor(ReasonCode.PURPOSE_NOT_COVERED,
                decide(request().build(), each(i -> grantToResearcher(i, terms().purposes(Purpose.PUBHLTH).build()))));
    }

    @Test
    void grantsWithoutHeartRateAreMetricNotCovered() {
        assertEveryOwnerExcludedFor(ReasonCode.METRIC_NOT_COVERED,
                decide(request().build(), each(i -> grantToResearcher(i, terms().metrics("spo2").build()))));
    }

    @Test
    void grantsForCountsOnlyAreAggregateKindNotCoveredForMeans() {
        assertEveryOwnerExcludedFor(ReasonCode.AGGREGATE_KIND_NOT_COVERED,
                decide(request().build(), each(i -> grantToResearcher(i, terms().kinds(AggregateKind.COUNT).build()))));
    }

    @Test
    void weeklyGrantsAreGranularityNotCoveredForDailyBuckets() {
        assertEveryOwnerExcludedFor(ReasonCode.GRANULARITY_NOT_COVERED,
                decide(request().build(), each(i -> grantToResearcher(i, terms().finest(Granularity.WEEK).build()))));
    }

    @Test
    void grantsFromYesterdayOnAreDataWindowNotCoveredForTheLastMonth() {
        assertEveryOwnerExcludedFor(ReasonCode.DATA_WINDOW_NOT_COVERED,
                decide(request().build(), each(i -> grantToResearcher(i, terms().dataWindow(days(-1, 365)).build()))));
    }

    @Test
    void ownersWhoShareNoAgeBandAreCohortFilterNotMet() {
        LeaseRequest r = request().cohort(new CohortFilter(null, Set.of(AgeBand.AGE_30_39), Set.of(), Set.of())).build();
        Map<UUID, OwnerAttributes> shared = new HashMap<>();
        for (int i = 0; i < OWNERS; i++) {
            shared.put(owner(i), new OwnerAttributes(i < 5 ? AgeBand.AGE_30_39 : null, Sex.FEMALE, "DE"));
        }
        LeaseDecision d = engine.decide(r, each(i -> grantToResearcher(i, terms().build())), shared, PrivacyLedger.empty(), clockAt(day(0)));
        assertTrue(d.approved());
        assertEquals(5, d.eligibleOwners().size(), "the five who share the selected age band");
        assertEquals(OWNERS - 5, d.exclusions().size());
        for (int i = 5; i < OWNERS; i++) {
            assertEquals(ReasonCode.COHORT_FILTER_NOT_MET, d.exclusions().get(owner(i)));
        }
    }

    @Test
    void ownersWhoSpentTheirYearAreBudgetExhausted() {
        List<LedgerEntry> spent = new ArrayList<>();
        for (int i = 0; i < OWNERS; i++) {
            spent.add(new LedgerEntry(owner(i), new UUID(7, 7), day(-10), 5.0));
        }
        LeaseDecision d = engine.decide(request().build(), each(i -> grantToResearcher(i, terms().build())),
                PrivacyLedger.of(spent), clockAt(day(0)));
        assertEveryOwnerExcludedFor(ReasonCode.BUDGET_EXHAUSTED, d);
    }

    @Test
    void ownersWhoDemandMoreThanTheCohortStillTakePartHereWithTheirOwnMinimum() {
        // Their minimum is met or not on the noisy cohort size: LeaseApprovalTest.
        LeaseDecision d = decide(request().build(), each(i -> grantToResearcher(i, terms().k(25).build())));
        assertTrue(d.approved());
        assertEquals(OWNERS, d.eligibleOwners().size());
        assertTrue(d.exclusions().isEmpty());
        assertEquals(25, d.participants().get(owner(0)).minimumCohort());
    }

    @Test
    void tenOwnersAreNotDeniedHere() {
        // Fewer than k is denied on the noisy cohort size: LeaseApprovalTest.
        List<ConsentGrant> ten = each(i -> grantToResearcher(i, terms().build())).subList(0, 10);
        LeaseDecision d = decide(request().build(), ten);
        assertTrue(d.approved());
        assertEquals(10, d.eligibleOwners().size());
    }

    @Test
    void aLeaseWhosePeriodIsOverIsLeasePeriodEnded() {
        assertDeniedFor(ReasonCode.LEASE_PERIOD_ENDED, decide(request().validity(days(-90, 0)).build(),
                each(i -> grantToResearcher(i, terms().build()))));
    }

    @Test
    void aTwoYearLeaseIsLeasePeriodTooLong() {
        assertDeniedFor(ReasonCode.LEASE_PERIOD_TOO_LONG, decide(request().validity(days(0, 730)).build(),
                each(i -> grantToResearcher(i, terms().build()))));
    }

    @Test
    void exclusionsKeepEachOwnersOwnCodeAndReasonsNone() {
        List<ConsentGrant> grants = new ArrayList<>();
        for (int i = 0; i < OWNERS; i++) {
            grants.add(i % 2 == 0 ? grantToResearcher(i, terms().finest(Granularity.MONTH).build())
                    : grantToResearcher(i, terms().build()).revoked(day(-1)));
        }
        LeaseDecision d = decide(request().build(), grants);
        assertTrue(d.reasons().isEmpty(), "per-owner codes are for the owners' audit, never for the organisation");
        for (int i = 0; i < OWNERS; i++) {
            assertEquals(i % 2 == 0 ? ReasonCode.GRANULARITY_NOT_COVERED : ReasonCode.GRANT_REVOKED, d.exclusions().get(owner(i)));
        }
    }

    @Test
    void aRequestLevelDenialCarriesNoExclusions() {
        LeaseDecision d = decide(request().validity(days(0, 730)).build(),
                each(i -> grantToResearcher(i, terms().build()).revoked(day(-1))));
        assertTrue(d.exclusions().isEmpty(), "denied before any owner is looked at");
    }

    @Test
    void anOwnersReasonIsThatOfTheGrantThatGotFurthest() {
        List<ConsentGrant> grants = new ArrayList<>();
        grants.add(new ConsentGrant(new UUID(1, 1), owner(0), new Audience.Researcher(RESEARCHER), terms().build(), day(-1)));
        grants.add(new ConsentGrant(new UUID(1, 2), owner(0), new Audience.Researcher(RESEARCHER), terms().metrics("spo2").build(), null));
        LeaseDecision d = decide(request().build(), grants);
        assertEquals(ReasonCode.METRIC_NOT_COVERED, d.exclusions().get(owner(0)));
    }
}
