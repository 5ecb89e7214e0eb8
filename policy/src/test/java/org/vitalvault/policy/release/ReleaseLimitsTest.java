package org.vitalvault.policy.release;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vitalvault.policy.Fixtures.clockAt;
import static org.vitalvault.policy.Fixtures.day;
import static org.vitalvault.policy.release.Leases.LEASE;

import java.time.Duration;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.vitalvault.policy.Fixtures;
import org.vitalvault.policy.consent.AggregateKind;
import org.vitalvault.policy.consent.Granularity;
import org.vitalvault.policy.lease.ConsentPolicyEngine;
import org.vitalvault.policy.lease.LeaseDecision;
import org.vitalvault.policy.ledger.LeaseBudget;
import org.vitalvault.policy.ledger.PrivacyLedger;

/** What one query may ask for, decided from the query alone before any data is read. */
class ReleaseLimitsTest {

    private static final ReleaseLimits LIMITS = ReleaseLimits.DEFAULT;

    private static List<Instant> hours(int n) {
        List<Instant> starts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            starts.add(day(-400).plus(Duration.ofHours(i)));
        }
        return starts;
    }

    private static AggregateQuery query(int buckets, Set<AggregateKind> kinds, List<Double> quantiles, double epsilon) {
        return new AggregateQuery("heart_rate", Granularity.HOUR, hours(buckets), kinds, quantiles, epsilon);
    }

    private static AggregateQuery mean(double epsilon) {
        return query(1, EnumSet.of(AggregateKind.MEAN), List.of(), epsilon);
    }

    private static List<Double> quantiles(int n) {
        List<Double> qs = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            qs.add(i / (n + 1.0));
        }
        return qs;
    }

    private static IllegalArgumentException refused(AggregateQuery q) {
        return assertThrows(IllegalArgumentException.class, () -> LIMITS.check(q));
    }

    /** Values that fail the test at the first touch: proof that nothing was read. */
    private static Map<Instant, Map<UUID, Double>> untouchable() {
        return new AbstractMap<>() {
            @Override
            public Set<Entry<Instant, Map<UUID, Double>>> entrySet() {
                throw new AssertionError("the values were read");
            }

            @Override
            public Map<UUID, Double> get(Object key) {
                throw new AssertionError("the values were read");
            }

            @Override
            public Set<Instant> keySet() {
                throw new AssertionError("the values were read");
            }
        };
    }

    @Test
    void theDefaultEpsilonFloorIsOneHundredth() {
        assertDoesNotThrow(() -> LIMITS.check(mean(0.01)));
        assertTrue(refused(mean(0.0099)).getMessage().startsWith("epsilon"));
    }

    @Test
    void theDefaultEpsilonCeilingIsOne() {
        assertDoesNotThrow(() -> LIMITS.check(mean(1.0)));
        assertTrue(refused(mean(Math.nextUp(1.0))).getMessage().startsWith("epsilon"));
        assertTrue(refused(mean(1000)).getMessage().startsWith("epsilon"));
    }

    @Test
    void aVanishingEpsilonIsRefusedBeforeAnyDataIsReadEvenUnderADeniedLease() {
        LeaseDecision denied = new ConsentPolicyEngine().decide(Fixtures.request().validity(Fixtures.days(0, 730)).build(),
                List.of(), PrivacyLedger.empty(), clockAt(day(0)));
        AggregateReleaser releaser = new AggregateReleaser(AggregateReleaserTest.seeded(1));
        AggregateQuery tiny = new AggregateQuery("heart_rate", Granularity.DAY, List.of(day(-3)), Set.of(AggregateKind.MEAN), List.of(), 1e-300);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> releaser.release(LEASE, denied,
                LeaseBudget.open(LEASE, 1), PrivacyLedger.empty(), tiny, untouchable()));
        assertTrue(e.getMessage().startsWith("epsilon"), e.getMessage());
    }

    @Test
    void aNonFiniteEpsilonIsNoQueryAtAll() {
        assertThrows(IllegalArgumentException.class, () -> mean(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> mean(Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> new ReleaseLimits(Double.NaN, 1, 10));
        assertThrows(IllegalArgumentException.class, () -> new ReleaseLimits(0.01, Double.NaN, 10));
    }

    @Test
    void releasedNumbersAreBucketsTimesScalarKindsQuantilesAndHistogramBins() {
        // Heart rate has 19 bins (30..220 by 10); COUNT, SUM, MEAN, STDDEV one each; two quantiles.
        assertEquals(3 * (4 + 2 + 19), ReleaseLimits.releasedNumbers(query(3, EnumSet.allOf(AggregateKind.class), List.of(0.5, 0.9), 0.5)));
        assertEquals(3, ReleaseLimits.releasedNumbers(query(3, EnumSet.of(AggregateKind.MEAN), List.of(0.5, 0.9), 0.5)),
                "quantiles listed but not asked release nothing");
    }

    @Test
    void theSizeBoundCountsWhatTheReleaserReleases() {
        LeaseDecision d = new ConsentPolicyEngine(Leases.GENEROUS).decide(Leases.allKinds(1), Leases.owners(60, 1, 5),
                PrivacyLedger.empty(), clockAt(day(0)));
        AggregateQuery q = new AggregateQuery("heart_rate", Granularity.DAY, List.of(day(-3), day(-2)),
                EnumSet.allOf(AggregateKind.class), List.of(0.25, 0.5, 0.75), 1.0);
        Map<UUID, Double> v = new java.util.HashMap<>();
        for (int i = 0; i < 60; i++) {
            v.put(Fixtures.owner(i), 60.0 + i % 30);
        }
        Release r = new AggregateReleaser(AggregateReleaserTest.seeded(4)).release(LEASE, d, LeaseBudget.open(LEASE, 1),
                PrivacyLedger.empty(), q, Map.of(day(-3), v, day(-2), v));
        long numbers = 0;
        for (BucketRelease b : r.buckets()) {
            assertTrue(!b.suppressed(), "sixty owners at ε 1");
            numbers += (b.count() != null ? 1 : 0) + (b.sum() != null ? 1 : 0) + (b.mean() != null ? 1 : 0)
                    + (b.stddev() != null ? 1 : 0) + b.quantiles().size() + b.histogram().size();
        }
        assertEquals(ReleaseLimits.releasedNumbers(q), numbers);
    }

    @Test
    void atMostTenThousandNumbersOfScalarKinds() {
        assertDoesNotThrow(() -> LIMITS.check(query(10_000, EnumSet.of(AggregateKind.MEAN), List.of(), 0.5)));
        assertTrue(refused(query(10_001, EnumSet.of(AggregateKind.MEAN), List.of(), 0.5)).getMessage().startsWith("buckets"));
        assertDoesNotThrow(() -> LIMITS.check(query(2_500, EnumSet.of(AggregateKind.COUNT, AggregateKind.SUM, AggregateKind.MEAN,
                AggregateKind.STDDEV), List.of(), 0.5)));
        refused(query(2_501, EnumSet.of(AggregateKind.COUNT, AggregateKind.SUM, AggregateKind.MEAN, AggregateKind.STDDEV), List.of(), 0.5));
    }

    @Test
    void histogramBinsCountTowardsTheBound() {
        // 19 bins a bucket: 526 × 19 = 9,994, 527 × 19 = 10,013.
        assertDoesNotThrow(() -> LIMITS.check(query(526, EnumSet.of(AggregateKind.HISTOGRAM), List.of(), 0.5)));
        assertTrue(refused(query(527, EnumSet.of(AggregateKind.HISTOGRAM), List.of(), 0.5)).getMessage().startsWith("buckets"));
        // With COUNT: 20 a bucket.
        assertDoesNotThrow(() -> LIMITS.check(query(500, EnumSet.of(AggregateKind.HISTOGRAM, AggregateKind.COUNT), List.of(), 0.5)));
        refused(query(501, EnumSet.of(AggregateKind.HISTOGRAM, AggregateKind.COUNT), List.of(), 0.5));
    }

    @Test
    void quantilesCountTowardsTheBoundAndAreListedNinetyNineAtMost() {
        // 99 quantiles a bucket: 101 × 99 = 9,999, 102 × 99 = 10,098.
        assertDoesNotThrow(() -> LIMITS.check(query(101, EnumSet.of(AggregateKind.QUANTILES), quantiles(99), 0.5)));
        assertTrue(refused(query(102, EnumSet.of(AggregateKind.QUANTILES), quantiles(99), 0.5)).getMessage().startsWith("quantiles"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> query(1, EnumSet.of(AggregateKind.QUANTILES), quantiles(100), 0.5));
        assertTrue(e.getMessage().startsWith("quantiles"));
    }

    @Test
    void tooManyBucketsIsBlamedOnTheBucketsWhenQuantilesAreListedButNotAsked() {
        IllegalArgumentException e = refused(query(10_001, EnumSet.of(AggregateKind.MEAN), List.of(0.5, 0.9), 0.5));
        assertTrue(e.getMessage().startsWith("buckets"), e.getMessage());
    }

    @Test
    void theBoundIsCheckedBeforeAnyDataIsRead() {
        LeaseDecision d = new ConsentPolicyEngine(Leases.GENEROUS).decide(Leases.allKinds(1), Leases.owners(12, 1, 5),
                PrivacyLedger.empty(), clockAt(day(0)));
        AggregateQuery big = new AggregateQuery("heart_rate", Granularity.DAY, hours(10_001), Set.of(AggregateKind.MEAN), List.of(), 0.5);
        AggregateReleaser releaser = new AggregateReleaser(AggregateReleaserTest.seeded(1));
        assertThrows(IllegalArgumentException.class, () -> releaser.release(LEASE, d, LeaseBudget.open(LEASE, 1),
                PrivacyLedger.empty(), big, untouchable()));
    }

    @Test
    void aReleaserAppliesItsOwnLimits() {
        LeaseDecision d = new ConsentPolicyEngine(Leases.GENEROUS).decide(Leases.allKinds(5), Leases.owners(12, 5, 10),
                PrivacyLedger.empty(), clockAt(day(0)));
        AggregateReleaser wide = new AggregateReleaser(AggregateReleaserTest.seeded(1), new ReleaseLimits(0.001, 2, 100));
        AggregateQuery two = new AggregateQuery("heart_rate", Granularity.DAY, List.of(day(-3)), Set.of(AggregateKind.MEAN), List.of(), 2);
        assertEquals(1, wide.release(LEASE, d, LeaseBudget.open(LEASE, 5), PrivacyLedger.empty(), two, Map.of()).buckets().size());
        AggregateQuery histogram = new AggregateQuery("heart_rate", Granularity.DAY, hours(6), Set.of(AggregateKind.HISTOGRAM), List.of(), 1);
        assertThrows(IllegalArgumentException.class, () -> wide.release(LEASE, d, LeaseBudget.open(LEASE, 5), PrivacyLedger.empty(),
                histogram, untouchable()), "6 × 19 = 114 > 100");
    }

    @Test
    void limitsThemselvesAreBounded() {
        assertThrows(IllegalArgumentException.class, () -> new ReleaseLimits(1e-4, 1, 10_000), "below 0.001 the sampler's integers could overflow");
        assertThrows(IllegalArgumentException.class, () -> new ReleaseLimits(0.5, 0.1, 10_000));
        assertThrows(IllegalArgumentException.class, () -> new ReleaseLimits(0.01, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new ReleaseLimits(0.01, 1, 1_000_001));
        assertEquals(new ReleaseLimits(0.01, 1.0, 10_000), ReleaseLimits.DEFAULT);
    }
}
