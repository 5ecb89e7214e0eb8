package org.vitalvault.policy.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.vitalvault.metric.Metric;
import org.vitalvault.metric.MetricCatalogue;

/**
 * The noise of a release cannot overflow within the query limits — every metric of the standard
 * catalogue, at most 2,000 buckets (QueryPayload.MAX_BUCKETS), all four measurements, ε down to
 * the floor 0.01 — and a privacy loss too small to sample (ε = 1e-300) is refused when the noise is
 * built, before any data, never at a draw.
 *
 * <p>The noise is built as AggregateReleaser.Plan builds it (kept in step by hand: Plan is private):
 * grid of the metric, clamp bounds in grid units, sensitivity of the measurement times
 * buckets × measurements, {@link DiscreteLaplace#forEpsilon} with the query's ε. 2,000 × 4 parts is
 * more than the release-size bound of DESIGN-13 (≤ 10,000 numbers) lets a query reach, so these are
 * upper limits.
 */
class NoiseAtTheLimitsTest {

    private static final int MAX_BUCKETS = 2000;
    private static final double EPSILON_FLOOR = 0.01;
    private static final int DRAWS = 2000;
    /** A generous bound on contributors per bucket, for the long arithmetic of sum + noise. */
    private static final long MAX_OWNERS = 100_000_000L;

    private static final List<Metric> METRICS = List.copyOf(MetricCatalogue.standard().all());

    /** As Plan: the mechanism of one measurement of a query of {@code buckets} buckets and {@code measurements} measurements. */
    static DiscreteLaplace noise(Metric metric, Measurement m, int buckets, int measurements, double epsilon) {
        FixedPointGrid grid = FixedPointGrid.forMetric(metric);
        long lo = grid.toUnits(metric.clampMin());
        long hi = grid.toUnits(metric.clampMax());
        BigInteger parts = BigInteger.valueOf((long) buckets * measurements);
        return DiscreteLaplace.forEpsilon(m.sensitivity(lo, hi).multiply(parts), epsilon);
    }

    /**
     * Every metric and measurement at 2,000 buckets × 4 measurements and ε 0.01: the mechanism builds,
     * its scale is at most 2·10^13 (far below {@link DiscreteLaplace#MAX_SCALE}), 2,000 draws each
     * succeed and stay within 64 scales (exceeded with probability e^−64 per draw), and the long sums
     * the release adds the noise to (Σ values, Σ squares over up to 10^8 owners) plus 64 scales stay
     * below 2^62.
     */
    @Test
    void atTheSmallestEpsilonAndTheMostBucketsEveryMeasurementOfEveryMetricSamplesFarFromOverflow() {
        SecureRandom random = Samples.seeded(2000);
        double largestScale = 0;
        long largestDraw = 0;
        long largestTotal = 0;
        List<String> lines = new ArrayList<>();
        for (Metric metric : METRICS) {
            FixedPointGrid grid = FixedPointGrid.forMetric(metric);
            long lo = grid.toUnits(metric.clampMin());
            long hi = grid.toUnits(metric.clampMax());
            for (Measurement m : Measurement.values()) {
                DiscreteLaplace d = noise(metric, m, MAX_BUCKETS, Measurement.values().length, EPSILON_FLOOR);
                long seen = 0;
                for (int i = 0; i < DRAWS; i++) {
                    seen = Math.max(seen, Math.abs(d.sample(random)));
                }
                assertTrue(seen <= 64 * d.scale(), metric.code() + " " + m + ": a draw of " + seen + " at scale " + d.scale());
                // The largest true measurement: every owner at the farthest clamp bound.
                long perOwner = m.sensitivity(lo, hi).longValueExact();
                long trueMax = Math.multiplyExact(MAX_OWNERS, perOwner);
                long total = Math.addExact(trueMax, (long) Math.ceil(64 * d.scale()));
                assertTrue(total < (1L << 62), metric.code() + " " + m + ": " + total);
                largestScale = Math.max(largestScale, d.scale());
                largestDraw = Math.max(largestDraw, seen);
                largestTotal = Math.max(largestTotal, total);
                lines.add(String.format(Locale.ROOT, "%s %s: sensitivity %s, scale %.3g, largest |draw| %d",
                        metric.code(), m, m.sensitivity(lo, hi), d.scale(), seen));
            }
        }
        assertTrue(largestScale <= 2e13, "largest scale " + largestScale);
        System.out.printf(Locale.ROOT, "noise at the limits (%d buckets × 4 measurements, ε %s, %d draws each): largest scale %.4g,"
                        + " largest |draw| %d (2^63 = %.3g), largest true measurement + 64 scales %d%n  %s%n",
                MAX_BUCKETS, EPSILON_FLOOR, DRAWS, largestScale, largestDraw, Math.pow(2, 63), largestTotal, String.join("\n  ", lines));
    }

    /**
     * ε = 1e-300 — the query of issue 13 that answered 500 only when a bucket was shown — is refused
     * with an IllegalArgumentException when its noise is built, for every metric and measurement and
     * even for a single bucket's COUNT (scale 10^300): no data is needed to fail, and no draw fails.
     */
    @Test
    void anEpsilonOfOneEMinus300IsRefusedWhenTheNoiseIsBuiltNotWhenItIsDrawn() {
        for (Metric metric : METRICS) {
            for (Measurement m : Measurement.values()) {
                assertThrows(IllegalArgumentException.class, () -> noise(metric, m, 1, 1, 1e-300), metric.code() + " " + m);
                assertThrows(IllegalArgumentException.class,
                        () -> noise(metric, m, MAX_BUCKETS, Measurement.values().length, 1e-300), metric.code() + " " + m);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> DiscreteLaplace.forEpsilon(BigInteger.ONE, Double.MIN_VALUE));
    }

    /** The bound is exact: scale 2^50 builds and draws; a hair above is refused. */
    @Test
    void theLargestScaleAllowedIsTwoToTheFiftyAndItStillSamples() {
        DiscreteLaplace largest = DiscreteLaplace.withScale(DiscreteLaplace.MAX_SCALE, 1);
        assertEquals(Math.pow(2, 50), largest.scale(), 0);
        SecureRandom random = Samples.seeded(50);
        for (int i = 0; i < 1000; i++) {
            assertTrue(Math.abs(largest.sample(random)) < (1L << 58));
        }
        BigInteger justAbove = BigInteger.valueOf(DiscreteLaplace.MAX_SCALE).multiply(BigInteger.valueOf(1_000_000)).add(BigInteger.ONE);
        assertThrows(IllegalArgumentException.class, () -> DiscreteLaplace.withScale(justAbove, BigInteger.valueOf(1_000_000)));
    }

    /**
     * Any metric, 1 to 2,000 buckets, any set of measurements and any ε from the floor up: the
     * noise builds and draws; and for any ε whose scale would pass 2^50 it is refused at build.
     */
    @Property(tries = 300)
    void withinTheLimitsTheNoiseAlwaysBuildsAndDraws(@ForAll("metrics") Metric metric, @ForAll @IntRange(min = 1, max = MAX_BUCKETS) int buckets,
                                                   @ForAll("measurements") Set<Measurement> measurements,
                                                   @ForAll @DoubleRange(min = EPSILON_FLOOR, max = 1000) double epsilon,
                                                   @ForAll @IntRange(min = 6, max = 300) int tinyExponent) {
        double tiny = Math.pow(10, -tinyExponent);
        SecureRandom random = Samples.seeded(buckets * 31L + measurements.size());
        for (Measurement m : measurements) {
            DiscreteLaplace d = noise(metric, m, buckets, measurements.size(), epsilon);
            for (int i = 0; i < 20; i++) {
                assertTrue(Math.abs(d.sample(random)) <= 64 * d.scale() + 64);
            }
            FixedPointGrid grid = FixedPointGrid.forMetric(metric);
            BigInteger sensitivity = m.sensitivity(grid.toUnits(metric.clampMin()), grid.toUnits(metric.clampMax()))
                    .multiply(BigInteger.valueOf((long) buckets * measurements.size()));
            if (sensitivity.doubleValue() / tiny > 2 * DiscreteLaplace.MAX_SCALE) {
                assertThrows(IllegalArgumentException.class, () -> noise(metric, m, buckets, measurements.size(), tiny));
            }
        }
    }

    @Provide
    Arbitrary<Metric> metrics() {
        return Arbitraries.of(METRICS);
    }

    @Provide
    Arbitrary<Set<Measurement>> measurements() {
        return Arbitraries.of(Measurement.values()).set().ofMinSize(1).map(s -> Set.copyOf(EnumSet.copyOf(s)));
    }
}
