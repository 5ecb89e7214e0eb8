package org.vitalvault.policy.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
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

    /** Owner i has value + i mod 5. */
    private static Map<Instant, Map<UUID, Double>> values(int owners, double value) {
        Map<UUID, Double> v = new HashMap<>();
        for (int i = 0; i < owners; i++) {
            v.put(owner(i), value + i % 5);
        }
        return Map.of(BUCKET, v);
    }

    @Test
    void atTheCeilingEpsilonALargeCohortsAggregatesAreCloseToTheTruth() {
        // ε = 1 is the most one query may spend: accuracy comes from the cohort's size.
        int n = 4000;
        LeaseDecision d = Leases.approved(n, 1, 1, 5);
        Release r = releaser.release(LEASE, d, LeaseBudget.open(LEASE, 1), PrivacyLedger.empty(),
                query(1, AggregateKind.values()), values(n, 70));
        BucketRelease b = r.buckets().get(0);
        assertFalse(b.suppressed());
        // Values 70..74, n/5 owners each: mean 72, population sd √2. Four measurements: count noise
        // scale 4, sum noise scale 4 × 220 (sd ≈ 1,245), centred squares scale 4 × 95² (sd ≈ 51,000).
        assertEquals(n, b.count().value(), 30);
        assertEquals(72.0 * n, b.sum().value(), 6000);
        assertEquals(72, b.mean().value(), 1.5);
        assertTrue(b.mean().intervalContains(72));
        assertTrue(b.stddev().intervalContains(Math.sqrt(2)));
        assertTrue(b.stddev().value() < 8, "the centred squares' noise (sd ≈ 13 bpm² per owner of 4,000) leaves a few bpm at most");
        assertEquals(0.5, b.quantiles().get(0).probability());
        assertEquals(75, b.quantiles().get(0).value().value(), 5, "the median lies in the seventies' bin");
        assertEquals(19, b.histogram().size(), "heart rate 30..220 in bins of 10");
        BinEstimate seventies = b.histogram().get(4);
        assertEquals(70, seventies.low());
        assertEquals(80, seventies.high());
        assertEquals(n, seventies.count().value(), 30);
        long shownEmpty = b.histogram().stream().filter(bin -> bin != seventies && !bin.suppressed()).count();
        assertTrue(shownEmpty <= 3, "an empty bin's noisy count (scale 4) reaches k = 11 rarely; shown: " + shownEmpty);
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
    void aBucketIsSuppressedWhenItsNoisyCountIsBelowKAndStillCarriesThatCount() {
        LeaseDecision d = Leases.approved(15, 1, 1, 5);
        int suppressed = 0;
        int shown = 0;
        for (int run = 0; run < 100; run++) {
            // Ten contributors, k = 11: on the true count it would always be suppressed; on the noisy count, often not.
            BucketRelease b = releaser.release(LEASE, d, LeaseBudget.open(LEASE, 1), PrivacyLedger.empty(),
                    query(0.5, AggregateKind.COUNT, AggregateKind.MEAN), values(10, 70)).buckets().get(0);
            assertNotNull(b.count(), "COUNT was asked: the noisy count is shown either way");
            assertEquals(b.count().value() < 11, b.suppressed());
            if (b.suppressed()) {
                suppressed++;
                assertNull(b.mean());
            } else {
                shown++;
                assertNotNull(b.mean());
            }
        }
        assertTrue(suppressed > 10 && shown > 10, "suppressed " + suppressed + ", shown " + shown);
    }

    @Test
    void aSuppressedBucketCarriesNoCountWhenCountIsNotAsked() {
        LeaseDecision d = Leases.approved(15, 1, 1, 5);
        // No contributor at all: the noisy count (scale 2 at ε 1 over COUNT and SUM) is below 11 but with odds of about 1 in 400.
        BucketRelease b = releaser.release(LEASE, d, LeaseBudget.open(LEASE, 1), PrivacyLedger.empty(),
                query(1, AggregateKind.MEAN), Map.of()).buckets().get(0);
        assertTrue(b.suppressed());
        assertNull(b.count());
        assertNull(b.mean());
    }

    @Test
    void aHistogramBinIsShownOnItsNoisyCountSoEvenAnEmptyBinMayBe() {
        LeaseDecision d = Leases.approved(15, 1, 1, 5);
        int emptyShown = 0;
        for (int run = 0; run < 20; run++) {
            // 15 owners' values in the seventies' bin, ε 0.1 over COUNT and HISTOGRAM: bin noise scale 20.
            BucketRelease b = releaser.release(LEASE, d, LeaseBudget.open(LEASE, 1), PrivacyLedger.empty(),
                    query(0.1, AggregateKind.HISTOGRAM), values(15, 70)).buckets().get(0);
            if (b.suppressed()) {
                continue;
            }
            for (int i = 0; i < b.histogram().size(); i++) {
                BinEstimate bin = b.histogram().get(i);
                if (!bin.suppressed()) {
                    assertTrue(bin.count().value() >= 11, "a bin shown below k");
                    emptyShown += i == 4 ? 0 : 1;
                }
            }
        }
        assertTrue(emptyShown > 0, "the choice is made on noise, not on the true count");
    }

    @Test
    void countIsMeasuredAndPaidForEvenWhenNotAsked() {
        LeaseDecision d = Leases.approved(40, 1, 1, 5);
        double sumAlone = releaser.release(LEASE, d, LeaseBudget.open(LEASE, 1), PrivacyLedger.empty(),
                query(1, AggregateKind.SUM), values(40, 70)).buckets().get(0).sum().noiseScale();
        double sumWithCount = releaser.release(LEASE, d, LeaseBudget.open(LEASE, 1), PrivacyLedger.empty(),
                query(1, AggregateKind.SUM, AggregateKind.COUNT), values(40, 70)).buckets().get(0).sum().noiseScale();
        assertEquals(sumWithCount, sumAlone, 1e-9, "the same two measurements share ε either way");
    }

    @Test
    void nonFiniteValuesAreIgnoredNotAnError() {
        int n = 2000;
        LeaseDecision d = Leases.approved(n + 300, 1, 1, 5);
        Map<UUID, Double> v = new HashMap<>(values(n, 70).get(BUCKET));
        for (int i = n; i < n + 300; i++) {
            v.put(owner(i), i % 3 == 0 ? Double.NaN : i % 3 == 1 ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY);
        }
        Release r = releaser.release(LEASE, d, LeaseBudget.open(LEASE, 1), PrivacyLedger.empty(),
                query(1, AggregateKind.COUNT, AggregateKind.MEAN), Map.of(BUCKET, v));
        BucketRelease b = r.buckets().get(0);
        assertEquals(n, b.count().value(), 40, "a value that is not a number counts as no value");
        assertEquals(72, b.mean().value(), 3);
        assertEquals(n + 300, r.charges().size(), "their owners are charged like any owner without data");
    }

    @Test
    void aFailureAfterTheChargeCarriesTheChargeToRecord() {
        LeaseDecision d = Leases.approved(15, 1, 1, 5);
        IllegalStateException storage = new IllegalStateException("storage failed mid-read");
        Map<UUID, Double> failing = new java.util.AbstractMap<>() {
            @Override
            public Double get(Object key) {
                throw storage;
            }

            @Override
            public Set<Entry<UUID, Double>> entrySet() {
                throw storage;
            }
        };
        ReleaseFailedException e = assertThrows(ReleaseFailedException.class, () -> releaser.release(LEASE, d,
                LeaseBudget.open(LEASE, 1), PrivacyLedger.empty(), query(0.25, AggregateKind.MEAN), Map.of(BUCKET, failing)));
        assertSame(storage, e.getCause());
        Release charged = e.charged();
        assertTrue(charged.buckets().isEmpty(), "nothing is released");
        assertEquals(15, charged.charges().size());
        assertEquals(0.75, charged.budget().remaining(), 1e-12);
        assertEquals(0.25, charged.ledger().spentInYear(owner(3), day(0)), 1e-12);
    }

    @Test
    void valuesOutsideTheClampBoundsAreClamped() {
        int n = 2200;
        LeaseDecision d = Leases.approved(n, 1, 1, 5);
        Map<UUID, Double> v = new HashMap<>();
        for (int i = 0; i < n; i++) {
            v.put(owner(i), i < n / 2 ? 500.0 : 10.0);
        }
        Release r = releaser.release(LEASE, d, LeaseBudget.open(LEASE, 1), PrivacyLedger.empty(),
                query(1, AggregateKind.MEAN, AggregateKind.HISTOGRAM), Map.of(BUCKET, v));
        // Sum noise scale 3 × 220 at ε 1 (sd ≈ 930) over 2,200 owners: the mean is within a bpm or so.
        assertEquals((220 + 30) / 2.0, r.buckets().get(0).mean().value(), 2);
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
    void aQueryFewerThanKOwnersCanAffordIsAnsweredOverThoseWhoCanNotRefused() {
        // A refusal would tell the organisation, for free, that owners ran out of budget.
        LeaseDecision d = Leases.approved(12, 1, 1, 2);
        List<LedgerEntry> history = new ArrayList<>();
        history.add(new LedgerEntry(owner(0), new UUID(9, 9), day(-1), 1.9));
        history.add(new LedgerEntry(owner(1), new UUID(9, 9), day(-1), 1.9));
        PrivacyLedger ledger = PrivacyLedger.of(history);
        Release r = releaser.release(LEASE, d, LeaseBudget.open(LEASE, 1), ledger, query(0.5, AggregateKind.COUNT), values(12, 70));
        assertEquals(10, r.charges().size());
        assertEquals(0.5, r.budget().remaining(), 1e-12);
        BucketRelease b = r.buckets().get(0);
        assertEquals(b.count().value() < 11, b.suppressed());
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
        LeaseDecision denied = new ConsentPolicyEngine().decide(
                org.vitalvault.policy.Fixtures.request().kinds(AggregateKind.values()).validity(org.vitalvault.policy.Fixtures.days(0, 730)).build(),
                Leases.owners(12, 1, 5), PrivacyLedger.empty(), clockAt(day(0)));
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
