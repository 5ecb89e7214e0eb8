package org.vitalvault.policy.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vitalvault.policy.Fixtures.clockAt;
import static org.vitalvault.policy.Fixtures.day;
import static org.vitalvault.policy.Fixtures.owner;
import static org.vitalvault.policy.release.Leases.LEASE;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.vitalvault.policy.consent.AggregateKind;
import org.vitalvault.policy.consent.Granularity;
import org.vitalvault.policy.lease.ConsentPolicyEngine;
import org.vitalvault.policy.lease.LeaseDecision;
import org.vitalvault.policy.lease.ReasonCode;
import org.vitalvault.policy.ledger.LeaseBudget;
import org.vitalvault.policy.ledger.LedgerEntry;
import org.vitalvault.policy.ledger.OwnerCaps;
import org.vitalvault.policy.ledger.PrivacyLedger;

class AggregateReleaserTest {

    private static final Instant BUCKET = day(-3);
    private final AggregateReleaser releaser = new AggregateReleaser(seeded(11));

    static SecureRandom seeded(long seed) {
        try {
            SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
            r.setSeed(seed);
            return r;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static AggregateQuery query(double epsilon, AggregateKind... kinds) {
        return new AggregateQuery("heart_rate", Granularity.DAY, List.of(BUCKET), Set.of(kinds), List.of(0.5, 0.9), epsilon);
    }

    private static Map<Instant, Map<UUID, Double>> values(int owners, double value) {
        Map<UUID, Double> v = new HashMap<>();
        for (int i = 0; i < owners; i++) {
            v.put(owner(i), value + i % 5);
        }
        return Map.of(BUCKET, v);
    }

    @Test
    void withALargeEpsilonTheAggregatesAreCloseToTheTruth() {
        LeaseDecision d = Leases.approved(20, 1000, 1000, 1000);
        Release r = releaser.release(LEASE, d, LeaseBudget.open(LEASE, 1000), PrivacyLedger.empty(),
                query(1000, AggregateKind.values()), values(20, 70));
        BucketRelease b = r.buckets().get(0);
        assertFalse(b.suppressed());
        // Values 70..74, four owners each: mean 72, population sd √2.
        assertEquals(20, b.count().value(), 2);
        assertEquals(1440, b.sum().value(), 5);
        assertEquals(72, b.mean().value(), 0.5);
        assertEquals(Math.sqrt(2), b.stddev().value(), 0.5);
        assertTrue(b.mean().intervalContains(72));
        assertEquals(0.5, b.quantiles().get(0).probability());
        assertEquals(19, b.histogram().size(), "heart rate 30..220 in bins of 10");
        BinEstimate seventies = b.histogram().get(4);
        assertEquals(70, seventies.low());
        assertEquals(80, seventies.high());
        assertEquals(20, seventies.count().value(), 2);
        assertTrue(b.histogram().get(3).suppressed(), "an empty bin is below k");
    }

    @Test
    void everyIncludedOwnerIsChargedOnceAndTheLeaseBudgetSpends() {
        LeaseDecision d = Leases.approved(15, 1, 1, 5);
        Release r = releaser.release(LEASE, d, LeaseBudget.open(LEASE, 1), PrivacyLedger.empty(),
                query(0.25, AggregateKind.MEAN), values(12, 70));
        assertEquals(15, r.charges().size(), "owners without data in the bucket are charged too");
        assertEquals(0.25, r.ledger().spentInYear(owner(14), day(0)));
        assertEquals(0.75, r.budget().remaining());
        for (LedgerEntry e : r.charges()) {
            assertEquals(LEASE, e.lease());
            assertEquals(day(0), e.at());
        }
    }

    @Test
    void aBucketWithFewerThanKContributorsIsSuppressed() {
        LeaseDecision d = Leases.approved(15, 1, 1, 5);
        Release r = releaser.release(LEASE, d, LeaseBudget.open(LEASE, 1), PrivacyLedger.empty(),
                query(0.5, AggregateKind.COUNT, AggregateKind.MEAN), values(10, 70));
        BucketRelease b = r.buckets().get(0);
        assertTrue(b.suppressed());
        assertNull(b.count());
        assertNull(b.mean());
    }

    @Test
    void valuesOutsideTheClampBoundsAreClamped() {
        LeaseDecision d = Leases.approved(22, 1000, 1000, 1000);
        Map<UUID, Double> v = new HashMap<>();
        for (int i = 0; i < 22; i++) {
            v.put(owner(i), i < 11 ? 500.0 : 10.0);
        }
        Release r = releaser.release(LEASE, d, LeaseBudget.open(LEASE, 1000), PrivacyLedger.empty(),
                query(1000, AggregateKind.MEAN, AggregateKind.HISTOGRAM), Map.of(BUCKET, v));
        assertEquals((220 + 30) / 2.0, r.buckets().get(0).mean().value(), 0.5);
        assertNotNull(r.buckets().get(0).histogram().get(0).count());
        assertNotNull(r.buckets().get(0).histogram().get(18).count());
    }

    @Test
    void ownersWhoCannotAffordTheQueryAreLeftOutAndNotCharged() {
        LeaseDecision d = Leases.approved(14, 1, 1, 2);
        List<LedgerEntry> history = new ArrayList<>();
        history.add(new LedgerEntry(owner(0), new UUID(9, 9), day(-1), 1.9));
        Release r = releaser.release(LEASE, d, LeaseBudget.open(LEASE, 1), PrivacyLedger.of(history),
                query(0.5, AggregateKind.COUNT), values(14, 70));
        assertEquals(13, r.charges().size());
        assertTrue(r.charges().stream().noneMatch(e -> e.owner().equals(owner(0))));
        assertEquals(1.9, r.ledger().spentInYear(owner(0), day(0)), 1e-12);
    }

    @Test
    void aQueryTooFewOwnersCanAffordIsRefusedAsCohortBelowK() {
        LeaseDecision d = Leases.approved(12, 1, 1, 2);
        List<LedgerEntry> history = new ArrayList<>();
        history.add(new LedgerEntry(owner(0), new UUID(9, 9), day(-1), 1.9));
        history.add(new LedgerEntry(owner(1), new UUID(9, 9), day(-1), 1.9));
        PrivacyLedger ledger = PrivacyLedger.of(history);
        ReleaseRefusedException e = assertThrows(ReleaseRefusedException.class, () -> releaser.release(LEASE, d,
                LeaseBudget.open(LEASE, 1), ledger, query(0.5, AggregateKind.COUNT), values(12, 70)));
        assertEquals(ReasonCode.COHORT_BELOW_K, e.code());
    }

    @Test
    void aQueryPastTheLeaseBudgetIsRefusedAndNothingIsCharged() {
        LeaseDecision d = Leases.approved(12, 1, 1, 5);
        LeaseBudget budget = LeaseBudget.open(LEASE, 1).spend(0.8);
        ReleaseRefusedException e = assertThrows(ReleaseRefusedException.class, () -> releaser.release(LEASE, d, budget,
                PrivacyLedger.empty(), query(0.5, AggregateKind.COUNT), values(12, 70)));
        assertEquals(ReasonCode.LEASE_BUDGET_EXHAUSTED, e.code());
    }

    @Test
    void aQueryUnderADeniedDecisionIsRefusedAsLeaseDenied() {
        LeaseDecision denied = new ConsentPolicyEngine().decide(Leases.allKinds(1), Leases.owners(5, 1, 5),
                PrivacyLedger.empty(), clockAt(day(0)));
        ReleaseRefusedException e = assertThrows(ReleaseRefusedException.class, () -> releaser.release(LEASE, denied,
                LeaseBudget.open(LEASE, 1), PrivacyLedger.empty(), query(0.5, AggregateKind.COUNT), values(5, 70)));
        assertEquals(ReasonCode.LEASE_DENIED, e.code());
    }

    @Test
    void aQueryForWhatTheLeaseDoesNotCoverIsRefusedAsNotLeased() {
        LeaseDecision d = new ConsentPolicyEngine(Leases.GENEROUS).decide(
                org.vitalvault.policy.Fixtures.request().kinds(AggregateKind.MEAN).build(), Leases.owners(12, 1, 5),
                PrivacyLedger.empty(), clockAt(day(0)));
        LeaseBudget budget = LeaseBudget.open(LEASE, 1);
        List<AggregateQuery> outside = List.of(
                new AggregateQuery("spo2", Granularity.DAY, List.of(BUCKET), Set.of(AggregateKind.MEAN), List.of(), 0.1),
                new AggregateQuery("heart_rate", Granularity.DAY, List.of(BUCKET), Set.of(AggregateKind.SUM), List.of(), 0.1),
                new AggregateQuery("heart_rate", Granularity.HOUR, List.of(BUCKET), Set.of(AggregateKind.MEAN), List.of(), 0.1),
                new AggregateQuery("heart_rate", Granularity.DAY, List.of(day(-40)), Set.of(AggregateKind.MEAN), List.of(), 0.1));
        for (AggregateQuery q : outside) {
            ReleaseRefusedException e = assertThrows(ReleaseRefusedException.class,
                    () -> releaser.release(LEASE, d, budget, PrivacyLedger.empty(), q, Map.of()));
            assertEquals(ReasonCode.NOT_LEASED, e.code(), q.toString());
        }
    }

    @Test
    void valuesForABucketTheQueryDoesNotListAreACallerError() {
        LeaseDecision d = Leases.approved(12, 1, 1, 5);
        assertThrows(IllegalArgumentException.class, () -> releaser.release(LEASE, d, LeaseBudget.open(LEASE, 1),
                PrivacyLedger.empty(), query(0.1, AggregateKind.COUNT), Map.of(day(-5), Map.of(owner(0), 70.0))));
    }

    @Test
    void theEpsilonIsSplitOverBucketsAndMeasurementsSoMoreBucketsMeanMoreNoise() {
        LeaseDecision d = Leases.approved(12, 1, 1, 5);
        AggregateQuery one = new AggregateQuery("heart_rate", Granularity.DAY, List.of(BUCKET), EnumSet.of(AggregateKind.COUNT), List.of(), 0.5);
        AggregateQuery two = new AggregateQuery("heart_rate", Granularity.DAY, List.of(BUCKET, day(-2)),
                EnumSet.of(AggregateKind.COUNT, AggregateKind.MEAN), List.of(), 0.5);
        Map<Instant, Map<UUID, Double>> v = new HashMap<>(values(12, 70));
        v.put(day(-2), v.get(BUCKET));
        double scaleOne = releaser.release(LEASE, d, LeaseBudget.open(LEASE, 1), PrivacyLedger.empty(), one, values(12, 70))
                .buckets().get(0).count().noiseScale();
        double scaleTwo = releaser.release(LEASE, d, LeaseBudget.open(LEASE, 1), PrivacyLedger.empty(), two, v)
                .buckets().get(0).count().noiseScale();
        // Count noise scale 1/ε vs 4/ε (2 buckets × 2 measurements): the standard deviation grows about 4-fold.
        assertEquals(4, scaleTwo / scaleOne, 0.3);
    }
}
