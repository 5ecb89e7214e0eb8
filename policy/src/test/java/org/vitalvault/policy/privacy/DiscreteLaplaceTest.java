package org.vitalvault.policy.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DiscreteLaplaceTest {

    /**
     * 200,000 draws from a fixed seed match the stated distribution: the chi-square goodness of fit
     * to {@code (1 − p)/(1 + p)·p^|x|} does not reject (p-value above 0.001), and the variance and
     * P(X = 0) are within a few standard errors of {@code 2p/(1 − p)²} and {@code (1 − p)/(1 + p)}.
     */
    @ParameterizedTest(name = "scale {0}/{1}")
    @CsvSource({"1, 2", "3, 1", "7, 2", "25, 1"})
    void empiricalDistributionMatchesTheStatedScale(long numerator, long denominator) {
        DiscreteLaplace d = DiscreteLaplace.withScale(numerator, denominator);
        assertEquals((double) numerator / denominator, d.scale(), 1e-12);
        long[] xs = Samples.draw(Samples.N, Samples.seeded(numerator * 1000 + denominator), d::sample);
        assertMatches(d, xs);
    }

    @Test
    void theMechanismForEpsilonHasScaleSensitivityOverEpsilonExactly() {
        DiscreteLaplace d = DiscreteLaplace.forEpsilon(BigInteger.valueOf(3), 0.5);
        assertEquals(6.0, d.scale(), 0);
        // ε = 0.1 is the double 0.1000000000000000055…, so the scale is a hair below 10.
        DiscreteLaplace tenth = DiscreteLaplace.forEpsilon(BigInteger.ONE, 0.1);
        assertEquals(10.0, tenth.scale(), 1e-12);
        assertMatches(tenth, Samples.draw(Samples.N, Samples.seeded(10), tenth::sample));
    }

    @Test
    void theHalfWidthIsTheSmallestThatCoversTheConfidence() {
        for (double scale : new double[] {0.5, 1, 3.7, 40, 1234.5}) {
            DiscreteLaplace d = DiscreteLaplace.withScale(BigInteger.valueOf((long) (scale * 10)), BigInteger.TEN);
            for (double confidence : new double[] {0.9, 0.95, 0.99, 0.999}) {
                long m = d.halfWidth(confidence);
                assertTrue(mass(d, m) >= confidence, "covers at " + scale + ", " + confidence);
                assertTrue(m == 0 || mass(d, m - 1) < confidence, "smallest at " + scale + ", " + confidence);
            }
        }
    }

    @Test
    void noiseIsSymmetricAroundZero() {
        DiscreteLaplace d = DiscreteLaplace.withScale(5, 1);
        long[] xs = Samples.draw(Samples.N, Samples.seeded(77), d::sample);
        double mean = 0;
        for (long x : xs) {
            mean += x;
        }
        mean /= xs.length;
        assertEquals(0, mean, 5 * d.standardDeviation() / Math.sqrt(xs.length));
    }

    @Test
    void hugeExactScalesStillSample() {
        // Scales of the releases: sensitivity × buckets × measurements × 10^55 / unscaled ε.
        DiscreteLaplace d = DiscreteLaplace.forEpsilon(BigInteger.valueOf(902_500L * 8_784 * 3), 0.1);
        SecureRandom r = Samples.seeded(1);
        for (int i = 0; i < 100; i++) {
            d.sample(r);
        }
        assertEquals(902_500.0 * 8_784 * 3 * 10, d.scale(), 1);
    }

    private static double mass(DiscreteLaplace d, long m) {
        double p = d.ratio();
        return 1 - 2 * Math.pow(p, m + 1) / (1 + p);
    }

    private static void assertMatches(DiscreteLaplace d, long[] xs) {
        double pValue = Samples.chiSquarePValue(xs, d::probabilityOf);
        assertTrue(pValue > 0.001, "chi-square p-value " + pValue);
        double variance = Samples.variance(xs);
        // The variance of the sample variance of a Laplace-like law is about 5σ⁴/n: 0.5% here.
        assertEquals(d.variance(), variance, 0.03 * d.variance(), "variance");
        double p0 = d.probabilityOf(0);
        assertEquals(p0, Samples.fraction(xs, 0), 5 * Math.sqrt(p0 * (1 - p0) / xs.length), "P(X = 0)");
    }
}
