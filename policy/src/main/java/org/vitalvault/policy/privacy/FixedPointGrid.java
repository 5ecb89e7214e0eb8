package org.vitalvault.policy.privacy;

import org.vitalvault.metric.Metric;

/**
 * A fixed-point grid of step {@code 10^exponent}: values are rounded to whole multiples of the step
 * before they are aggregated, so aggregates are integers, sensitivities are exact integers and the
 * noise is an integer ({@link DiscreteLaplace}); the released value is the noisy integer times the
 * step. Rounding is a fixed, monotone function of each owner's own value, so it does not weaken
 * privacy; it moves each value by at most half a step.
 *
 * @param exponent the power of ten of the step
 */
public record FixedPointGrid(int exponent) {

    public FixedPointGrid {
        if (exponent < -9 || exponent > 9) {
            throw new IllegalArgumentException("exponent must lie in [-9, 9], was " + exponent);
        }
    }

    /**
     * The grid for a metric: the largest power of ten at most a thousandth of the clamp range
     * (heart rate 30–220 → 0.1; SpO2 70–100 → 0.01; body temperature 34–42 → 0.001; steps → 1),
     * so rounding is far below any useful noise.
     */
    public static FixedPointGrid forMetric(Metric metric) {
        double range = metric.clampMax() - metric.clampMin();
        return new FixedPointGrid((int) Math.floor(Math.log10(range / 1000) + 1e-9));
    }

    /** The step, {@code 10^exponent}. */
    public double step() {
        return exponent >= 0 ? Math.pow(10, exponent) : 1 / Math.pow(10, -exponent);
    }

    /** The value in grid units, rounded half up. */
    public long toUnits(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("value must be finite");
        }
        return exponent >= 0 ? Math.round(value / Math.pow(10, exponent)) : Math.round(value * Math.pow(10, -exponent));
    }

    /** Grid units (possibly fractional, e.g. a mean) back to the value. */
    public double toValue(double units) {
        return exponent >= 0 ? units * Math.pow(10, exponent) : units / Math.pow(10, -exponent);
    }
}
