package org.vitalvault.segment;

/**
 * The decimal value column: vitals are whole numbers (beats, mmHg, steps) or carry a decimal or two
 * (36.6 °C), so a segment's values are usually m / 10^k for whole m and small k. Storing m as a
 * delta then takes a few bits, where the IEEE bits of 36.6 take dozens even after XOR.
 */
final class DecimalValues {

    /** Beyond six places the scaled deltas are no longer much cheaper than XOR of the bits. */
    static final int MAX_PLACES = 6;

    private static final double[] POW10 = {1, 10, 100, 1e3, 1e4, 1e5, 1e6};

    private DecimalValues() {
    }

    /**
     * The fewest places k ≤ {@link #MAX_PLACES} at which every value round-trips exactly through
     * {@link #scale} and {@link #unscale}, or -1 when there is none (then the segment uses XOR).
     * Exactness is checked, not assumed: a value passes only if unscaling gives back its very
     * bits, so -0.0, subnormals and 0.1 + 0.2 simply fall back.
     */
    static int places(double[] values, int count) {
        for (int k = 0; k <= MAX_PLACES; k++) {
            if (allRoundTrip(values, count, k)) {
                return k;
            }
        }
        return -1;
    }

    static long scale(double value, int places) {
        return Math.round(value * POW10[places]);
    }

    /**
     * A division by an exact power of ten is correctly rounded, so this gives the double nearest
     * to m·10^-k — the one a parser would give for the decimal text.
     */
    static double unscale(long scaled, int places) {
        return scaled / POW10[places];
    }

    private static boolean allRoundTrip(double[] values, int count, int places) {
        for (int i = 0; i < count; i++) {
            long bits = Double.doubleToRawLongBits(values[i]);
            if (Double.doubleToRawLongBits(unscale(scale(values[i], places), places)) != bits) {
                return false;
            }
        }
        return true;
    }
}
