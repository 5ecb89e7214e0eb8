package org.vitalvault.policy.release;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vitalvault.policy.Fixtures.day;
import static org.vitalvault.policy.Fixtures.owner;
import static org.vitalvault.policy.release.Leases.LEASE;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.vitalvault.policy.consent.AggregateKind;
import org.vitalvault.policy.consent.Granularity;
import org.vitalvault.policy.consent.SystemPolicy;
import org.vitalvault.policy.lease.LeaseDecision;
import org.vitalvault.policy.ledger.LeaseBudget;
import org.vitalvault.policy.ledger.PrivacyLedger;
import org.vitalvault.policy.privacy.DiscreteLaplace;

/**
 * The whole release, as the researcher receives it (suppressed flags, shown bins, every noisy value),
 * is ε-differentially private towards one owner: on a data set D and its neighbour D′ = D plus one
 * victim owner (the grant that makes them a participant, and one value), no event of a fixed family
 * is more than e^ε times likelier on one than on the other, up to the sampling error of
 * {@link NeighbouringRuns} (Clopper–Pearson at 10⁻⁶ per bound).
 *
 * <p>The attack of issue 13 is the set-up: k − 1 = 10 owners of the attacker's own in the victim's
 * bucket (and, for the histogram, in the victim's bin), so that the victim's presence decides whether
 * an exact-count rule shows the cell. Fresh budget and ledger on every run: each run is one release
 * of one query, and ε is that query's.
 *
 * <p><b>Today's code fails both release tests</b> (the cells are suppressed on exact counts, so the
 * flag is 0 on one side and 1 on the other); they are disabled until the noisy selection of
 * DESIGN-13 lands (a noisy COUNT always measured; a bucket suppressed when its noisy count is below
 * k; a bin when its noisy count is). Run them anyway with
 * {@code -Djunit.jupiter.conditions.deactivate=org.junit.*DisabledCondition}.
 */
class ReleaseIsEpsilonDpOnNeighbouringDatasetsTest {

    private static final int RUNS = 20_000;
    private static final double EPSILON = 1.0;
    private static final Instant BUCKET = day(-3);
    private static final int K = SystemPolicy.SMALL_CELL_MINIMUM;
    /** Heart rate: 19 bins of 10 bpm from 30; the victim's is 70–80, the background's 90–100. */
    private static final int VICTIM_BIN = 4;
    private static final int BACKGROUND_BIN = 6;

    /**
     * A COUNT query over one bucket holding k − 1 attacker owners (and four more participants with no
     * data in it), with and without a victim whose value is in the bucket: whether the bucket is
     * shown, and its noisy count above any threshold, are within e^ε. With ε on the COUNT alone and
     * the threshold at k this is tight: P[suppressed | D] / P[suppressed | D′] = e^ε exactly.
     */
    @Test
    void whetherABucketOfKMinusOneIsShownAndItsCountAreEpsilonDpTowardsAnAddedOwner() {
        int attackers = K - 1;
        int idle = 4;
        Map<UUID, Double> d = new HashMap<>();
        for (int i = 0; i < attackers; i++) {
            d.put(owner(i), 70.0 + i % 5);
        }
        UUID victim = owner(attackers + idle);
        Map<UUID, Double> withVictim = new HashMap<>(d);
        withVictim.put(victim, 75.0);
        AggregateQuery q = new AggregateQuery("heart_rate", Granularity.DAY, List.of(BUCKET), EnumSet.of(AggregateKind.COUNT),
                List.of(), EPSILON);

        NeighbouringRuns<BucketRelease> events = new NeighbouringRuns<BucketRelease>()
                .event("bucket suppressed", BucketRelease::suppressed)
                .event("count shown with its 95% interval holding k", b -> shown(b.count()) && b.count().intervalContains(K));
        for (int t = 5; t <= 17; t++) {
            int threshold = t;
            events.event("count shown and ≥ " + t, b -> shown(b.count()) && b.count().value() >= threshold);
        }

        NeighbouringRuns.Result r = events.run(RUNS, EPSILON,
                releases(attackers + idle, q, d, 1301), releases(attackers + idle + 1, q, withVictim, 1302));
        System.out.println(r.report());
        assertTrue(r.violations().isEmpty(), r.report());
    }

    /**
     * A query of every kind over one bucket of 22 owners, 10 of them (the attacker's) in the 70–80
     * bpm bin and 12 in the 90–100 bin, with and without a victim at 75 bpm: the bucket is shown
     * either way, so what the victim can change is whether the 70–80 bin is shown, the noisy bin
     * counts, and the noisy count, sum, mean, standard deviation and quantiles. No event on any of
     * them is more than e^ε likelier on one side.
     */
    @Test
    void whetherABinOfKMinusOneIsShownAndEveryNoisyValueAreEpsilonDpTowardsAnAddedOwner() {
        int attackers = K - 1;
        int background = 12;
        Map<UUID, Double> d = new HashMap<>();
        for (int i = 0; i < attackers; i++) {
            d.put(owner(i), 70.0 + 0.9 * i);
        }
        for (int i = 0; i < background; i++) {
            d.put(owner(attackers + i), 90.0 + i % 8);
        }
        UUID victim = owner(attackers + background);
        Map<UUID, Double> withVictim = new HashMap<>(d);
        withVictim.put(victim, 75.0);
        AggregateQuery q = new AggregateQuery("heart_rate", Granularity.DAY, List.of(BUCKET), EnumSet.allOf(AggregateKind.class),
                List.of(0.5, 0.9), EPSILON);

        NeighbouringRuns<BucketRelease> events = new NeighbouringRuns<BucketRelease>()
                .event("bucket suppressed", BucketRelease::suppressed)
                .event("bin 70–80 shown", b -> binShown(b, VICTIM_BIN))
                .event("bin 80–90 shown", b -> binShown(b, VICTIM_BIN + 1))
                .event("bin 90–100 shown", b -> binShown(b, BACKGROUND_BIN))
                .event("at least two bins shown", b -> b.histogram().stream().filter(x -> !x.suppressed()).count() >= 2)
                .event("stddev shown and < 8 bpm", b -> shown(b.stddev()) && b.stddev().value() < 8)
                .event("stddev shown and < 12 bpm", b -> shown(b.stddev()) && b.stddev().value() < 12)
                .event("median shown and in 70–80", b -> quantileIn(b, 0, 70, 80))
                .event("median shown and in 80–90", b -> quantileIn(b, 0, 80, 90))
                .event("p90 shown and in 90–100", b -> quantileIn(b, 1, 90, 100));
        for (int t : new int[] {8, 11, 12, 14, 17}) {
            events.event("bin 70–80 shown and its count ≥ " + t, b -> binShown(b, VICTIM_BIN)
                    && b.histogram().get(VICTIM_BIN).count().value() >= t);
        }
        for (int t : new int[] {16, 20, 22, 23, 25, 29}) {
            events.event("count shown and ≥ " + t, b -> shown(b.count()) && b.count().value() >= t);
        }
        for (double s : new double[] {1000, 1900, 2800}) {
            events.event("sum shown and ≥ " + s, b -> shown(b.sum()) && b.sum().value() >= s);
        }
        double[] means = {30, 80, 84, 86, 90, 220.0001};
        for (int i = 0; i + 1 < means.length; i++) {
            double lo = means[i];
            double hi = means[i + 1];
            events.event("mean shown and in [" + lo + ", " + hi + ")",
                    b -> shown(b.mean()) && b.mean().value() >= lo && b.mean().value() < hi);
        }

        NeighbouringRuns.Result r = events.run(RUNS, EPSILON,
                releases(attackers + background, q, d, 2301), releases(attackers + background + 1, q, withVictim, 2302));
        System.out.println(r.report());
        assertTrue(r.violations().isEmpty(), r.report());
    }

    /**
     * The check itself, on the mechanism the release should reduce to (a count of 10 or 11 plus
     * discrete Laplace noise, shown when the noisy count is at least k): at the scale 1/ε it finds
     * nothing; at the scale 1/(1.5ε) — a mechanism that is only 1.5ε-DP — it finds the violation.
     */
    @Test
    void theCheckFindsANoiseTooSmallForItsEpsilonAndPassesTheRightOne() {
        NeighbouringRuns<Long> events = new NeighbouringRuns<>();
        events.event("suppressed (noisy count < k)", x -> x < K);
        for (int t = 5; t <= 17; t++) {
            long threshold = t;
            events.event("noisy count ≥ " + t, x -> x >= threshold);
        }
        NeighbouringRuns.Result right = events.run(RUNS, EPSILON, noisyCount(K - 1, 1.0, 41), noisyCount(K, 1.0, 42));
        assertTrue(right.violations().isEmpty(), right.report());
        assertTrue(right.worstRatio() > 2.2, "the bound is nearly tight at the right scale: " + right.report());
        NeighbouringRuns.Result tooLittle = events.run(RUNS, EPSILON, noisyCount(K - 1, 1.5, 43), noisyCount(K, 1.5, 44));
        assertFalse(tooLittle.violations().isEmpty(), tooLittle.report());
    }

    private static Supplier<Long> noisyCount(long count, double actualEpsilon, long seed) {
        DiscreteLaplace noise = DiscreteLaplace.forEpsilon(BigInteger.ONE, actualEpsilon);
        SecureRandom random = AggregateReleaserTest.seeded(seed);
        return () -> count + noise.sample(random);
    }

    /** Releases of q over the values, under a lease approved for owners 0..participants−1, each on a fresh budget and ledger. */
    private static Supplier<BucketRelease> releases(int participants, AggregateQuery q, Map<UUID, Double> values, long seed) {
        LeaseDecision decision = Leases.approved(participants, EPSILON, 1000, 1000);
        AggregateReleaser releaser = new AggregateReleaser(AggregateReleaserTest.seeded(seed));
        Map<Instant, Map<UUID, Double>> byBucket = Map.of(BUCKET, Map.copyOf(values));
        return () -> releaser.release(LEASE, decision, LeaseBudget.open(LEASE, EPSILON), PrivacyLedger.empty(), q, byBucket)
                .buckets().get(0);
    }

    private static boolean shown(Object value) {
        return value != null;
    }

    private static boolean binShown(BucketRelease b, int bin) {
        return !b.histogram().isEmpty() && !b.histogram().get(bin).suppressed();
    }

    private static boolean quantileIn(BucketRelease b, int index, double lo, double hi) {
        if (b.quantiles().size() <= index) {
            return false;
        }
        double v = b.quantiles().get(index).value().value();
        return v >= lo && v < hi;
    }
}
