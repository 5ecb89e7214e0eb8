package org.vitalvault.policy.privacy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;
import org.apache.commons.math3.stat.inference.ChiSquareTest;

/** Seeded sampling and goodness-of-fit checks for the noise distributions. */
final class Samples {

    static final int N = 200_000;

    private Samples() {
    }

    /** A SecureRandom whose output is fixed by the seed (SHA1PRNG seeded before first use). */
    static SecureRandom seeded(long seed) {
        try {
            SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
            r.setSeed(seed);
            return r;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static long[] draw(int n, SecureRandom random, ToLongFunction<SecureRandom> sampler) {
        long[] xs = new long[n];
        for (int i = 0; i < n; i++) {
            xs[i] = sampler.applyAsLong(random);
        }
        return xs;
    }

    static double variance(long[] xs) {
        double mean = 0;
        for (long x : xs) {
            mean += x;
        }
        mean /= xs.length;
        double v = 0;
        for (long x : xs) {
            v += (x - mean) * (x - mean);
        }
        return v / (xs.length - 1);
    }

    static double fraction(long[] xs, long value) {
        long c = 0;
        for (long x : xs) {
            if (x == value) {
                c++;
            }
        }
        return (double) c / xs.length;
    }

    /**
     * Pearson's chi-square of the samples against the pmf: one cell per integer whose expected
     * count is at least 20, and the two tails pooled; the p-value must not be tiny.
     *
     * @param pmf the probability of each integer
     */
    static double chiSquarePValue(long[] xs, java.util.function.LongToDoubleFunction pmf) {
        int n = xs.length;
        long limit = 0;
        while (pmf.applyAsDouble(limit + 1) * n >= 20) {
            limit++;
        }
        List<Double> expected = new ArrayList<>();
        long[] counts = new long[(int) (2 * limit + 3)];
        double inside = 0;
        for (long x = -limit; x <= limit; x++) {
            double p = pmf.applyAsDouble(x);
            inside += p;
            expected.add(p * n);
        }
        double tail = (1 - inside) / 2;
        for (long x : xs) {
            int cell = x < -limit ? 0 : x > limit ? counts.length - 1 : (int) (x + limit + 1);
            counts[cell]++;
        }
        double[] e = new double[counts.length];
        e[0] = tail * n;
        e[counts.length - 1] = tail * n;
        for (int i = 0; i < expected.size(); i++) {
            e[i + 1] = expected.get(i);
        }
        if (tail * n < 5) {
            // Too thin to test as cells of their own: fold the tails into the outermost cells.
            long[] folded = new long[counts.length - 2];
            double[] ef = new double[counts.length - 2];
            System.arraycopy(counts, 1, folded, 0, folded.length);
            System.arraycopy(e, 1, ef, 0, ef.length);
            folded[0] += counts[0];
            folded[folded.length - 1] += counts[counts.length - 1];
            ef[0] += e[0];
            ef[ef.length - 1] += e[e.length - 1];
            counts = folded;
            e = ef;
        }
        double p = new ChiSquareTest().chiSquareTest(e, counts);
        assertTrue(counts.length >= 3, "too few cells to test");
        return p;
    }
}
