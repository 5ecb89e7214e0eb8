package org.vitalvault.policy.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DiscreteGaussianTest {

    /**
     * 200,000 draws from a fixed seed match {@code exp(−x²/2σ²)} normalised over the integers: the
     * chi-square goodness of fit does not reject, and variance and P(X = 0) agree with the exact
     * values computed from the pmf (the discrete Gaussian's variance is slightly below σ²).
     */
    @ParameterizedTest(name = "sigma squared {0}/{1}")
    @CsvSource({"1, 4", "4, 1", "25, 2", "100, 1"})
    void empiricalDistributionMatchesTheStatedVariance(long numerator, long denominator) {
        DiscreteGaussian g = DiscreteGaussian.withSigmaSquared(numerator, denominator);
        double sigma2 = (double) numerator / denominator;
        long bound = (long) Math.ceil(40 * Math.sqrt(sigma2)) + 10;
        double norm = 0;
        double second = 0;
        for (long x = -bound; x <= bound; x++) {
            double w = Math.exp(-(double) x * x / (2 * sigma2));
            norm += w;
            second += x * x * w;
        }
        double z = norm;
        double exactVariance = second / norm;
        long[] xs = Samples.draw(Samples.N, Samples.seeded(numerator * 31 + denominator), g::sample);

        double pValue = Samples.chiSquarePValue(xs, x -> Math.exp(-(double) x * x / (2 * sigma2)) / z);
        assertTrue(pValue > 0.001, "chi-square p-value " + pValue);
        // Sample variance of a normal-like law has relative standard error √(2/n) ≈ 0.3%.
        assertEquals(exactVariance, Samples.variance(xs), 0.02 * exactVariance, "variance");
        double p0 = 1 / z;
        assertEquals(p0, Samples.fraction(xs, 0), 5 * Math.sqrt(p0 * (1 - p0) / xs.length), "P(X = 0)");
        assertEquals(sigma2, g.sigmaSquared(), 1e-12);
    }
}
