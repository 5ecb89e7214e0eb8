package org.vitalvault.policy.privacy;

/**
 * A released value with its noise: what the researcher receives for one aggregate.
 *
 * <p>The interval {@code [low95, high95]} contains, with probability at least 95% over the noise,
 * the noise-free aggregate of the contributing owners' values as clamped and rounded to the grid.
 * It is computed from noisy outputs only (never from true counts), so publishing it costs nothing.
 * It says nothing about sampling error: the cohort is what it is.
 *
 * <p>{@code noiseScale} is the standard deviation of the noise in this value, in its unit: exact
 * for COUNT, SUM and histogram bins (one discrete Laplace draw); first-order (delta method) for
 * MEAN; for STDDEV and quantiles, whose noise is not a simple function of the draws, the 95%
 * half-width divided by 1.96.
 *
 * @param value      the noisy value
 * @param noiseScale the noise's standard deviation
 * @param low95      lower end of the 95% interval
 * @param high95     upper end of the 95% interval
 */
public record NoisyValue(double value, double noiseScale, double low95, double high95) {

    public NoisyValue {
        if (!Double.isFinite(value) || !Double.isFinite(noiseScale) || !(low95 <= high95)) {
            throw new IllegalArgumentException("a noisy value needs finite numbers and low95 ≤ high95");
        }
    }

    /** True when {@code x} lies in the 95% interval. */
    public boolean intervalContains(double x) {
        return low95 <= x && x <= high95;
    }
}
