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

/** One example per denial reason: twenty owners whose grants all fail the same way. */
class PolicyEngineDenialTest {

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

    private static void assertDeniedFor(ReasonCode code, LeaseDecision d) {
        assertFalse(d.approved());
        assertTrue(d.hasReason(code), "expected " + code + " in " + d.reasons());
        assertTrue(d.eligibleOwners().isEmpty());
        assertEquals(Price.ZERO, d.price());
    }

    @Test
    void twentyCoveringGrantsAreApproved() {
        LeaseDecision d = decide(request().build(), each(i -> grantToResearcher(i, terms().build())));
        assertTrue(d.approved(), d.reasons().toString());
        assertEquals(OWNERS, d.eligibleOwners().size());
        assertTrue(d.reasons().isEmpty());
    }

    @Test
    void grantsToAnotherResearcherAreNoMatchingGrant() {
        LeaseDecision d = decide(request().build(),
                each(i -> Fixtures.grant(i, new Audience.Researcher(Fixtures.OTHER_RESEARCHER), terms().build())));
        assertDeniedFor(ReasonCode.NO_MATCHING_GRANT, d);
        assertTrue(d.exclusions().isEmpty(), "owners with no grant for this audience are not listed");
    }

    @Test
    void noGrantsAtAllIsNoMatchingGrant() {
        assertDeniedFor(ReasonCode.NO_MATCHING_GRANT, decide(request().build(), List.of()));
    }

    @Test
    void revokedGrantsAreGrantRevoked() {
        LeaseDecision d = decide(request().build(), each(i -> grantToResearcher(i, terms().build()).revoked(day(0))));
        assertDeniedFor(ReasonCode.GRANT_REVOKED, d);
        assertEquals(ReasonCode.GRANT_REVOKED, d.exclusions().get(owner(0)));
    }

    @Test
    void grantsValidFromTomorrowAreGrantNotYetValid() {
        assertDeniedFor(ReasonCode.GRANT_NOT_YET_VALID,
                decide(request().build(), each(i -> grantToResearcher(i, terms().validity(days(1, 100)).build()))));
    }

    @Test
    void grantsThatEndedTodayAreGrantExpired() {
        assertDeniedFor(ReasonCode.GRANT_EXPIRED,
                decide(request().build(), each(i -> grantToResearcher(i, terms().validity(days(-100, 0)).build()))));
    }

    @Test
    void grantsForPublicHealthOnlyArePurposeNotCoveredForResearch() {
        assertDeniedFor(ReasonCode.PURPOSE_NOT_COVERED,
                decide(request().build(), each(i -> grantToResearcher(i, terms().purposes(Purpose.PUBHLTH).build()))));
    }

    @Test
    void grantsWithoutHeartRateAreMetricNotCovered() {
        assertDeniedFor(ReasonCode.METRIC_NOT_COVERED,
                decide(request().build(), each(i -> grantToResearcher(i, terms().metrics("spo2").build()))));
    }

    @Test
    void grantsForCountsOnlyAreAggregateKindNotCoveredForMeans() {
        assertDeniedFor(ReasonCode.AGGREGATE_KIND_NOT_COVERED,
                decide(request().build(), each(i -> grantToResearcher(i, terms().kinds(AggregateKind.COUNT).build()))));
    }

    @Test
    void weeklyGrantsAreGranularityNotCoveredForDailyBuckets() {
        LeaseDecision d = decide(request().build(), each(i -> grantToResearcher(i, terms().finest(Granularity.WEEK).build())));
        assertDeniedFor(ReasonCode.GRANULARITY_NOT_COVERED, d);
        assertEquals("Some owners' consent does not allow time buckets as fine as DAY.",
                d.reasons().get(0).message());
    }

    @Test
    void grantsFromYesterdayOnAreDataWindowNotCoveredForTheLastMonth() {
        assertDeniedFor(ReasonCode.DATA_WINDOW_NOT_COVERED,
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
        assertDeniedFor(ReasonCode.COHORT_FILTER_NOT_MET, d);
    }

    @Test
    void ownersWhoSpentTheirYearAreBudgetExhausted() {
        List<LedgerEntry> spent = new ArrayList<>();
        for (int i = 0; i < OWNERS; i++) {
            spent.add(new LedgerEntry(owner(i), new UUID(7, 7), day(-10), 5.0));
        }
        LeaseDecision d = engine.decide(request().build(), each(i -> grantToResearcher(i, terms().build())),
                PrivacyLedger.of(spent), clockAt(day(0)));
        assertDeniedFor(ReasonCode.BUDGET_EXHAUSTED, d);
    }

    @Test
    void ownersWhoDemandMoreThanTheCohortAreOwnerMinimumCohortNotMet() {
        LeaseDecision d = decide(request().build(), each(i -> grantToResearcher(i, terms().k(25).build())));
        assertDeniedFor(ReasonCode.OWNER_MINIMUM_COHORT_NOT_MET, d);
        assertTrue(d.hasReason(ReasonCode.COHORT_BELOW_K));
    }

    @Test
    void tenOwnersAreCohortBelowK() {
        List<ConsentGrant> ten = each(i -> grantToResearcher(i, terms().build())).subList(0, 10);
        LeaseDecision d = decide(request().build(), ten);
        assertDeniedFor(ReasonCode.COHORT_BELOW_K, d);
        assertEquals(List.of(ReasonCode.COHORT_BELOW_K), d.reasons().stream().map(Reason::code).toList());
        assertFalse(d.reasons().get(0).message().contains("10"), "a count below k is never stated");
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
    void reasonsListEveryExclusionCodeOnceInCodeOrderThenCohortBelowK() {
        List<ConsentGrant> grants = new ArrayList<>();
        for (int i = 0; i < OWNERS; i++) {
            grants.add(i % 2 == 0 ? grantToResearcher(i, terms().finest(Granularity.MONTH).build())
                    : grantToResearcher(i, terms().build()).revoked(day(-1)));
        }
        LeaseDecision d = decide(request().build(), grants);
        assertEquals(List.of(ReasonCode.GRANT_REVOKED, ReasonCode.GRANULARITY_NOT_COVERED, ReasonCode.COHORT_BELOW_K),
                d.reasons().stream().map(Reason::code).toList());
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
