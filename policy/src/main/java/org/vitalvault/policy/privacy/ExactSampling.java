package org.vitalvault.policy.privacy;

import java.math.BigInteger;
import java.util.Random;

/**
 * Exact samplers on integers and rationals, after Canonne, Kamath and Steinke, "The Discrete
 * Gaussian for Differential Privacy" (NeurIPS 2020), Algorithm 1 and its building blocks. Every
 * probability is a ratio of integers and every draw a uniform integer, so no floating-point value
 * ever decides an outcome.
 */
final class ExactSampling {

    private ExactSampling() {
    }

    /** A uniform integer in {@code [0, n)}, by rejection (no modulo bias). */
    static BigInteger uniform(BigInteger n, Random random) {
        if (n.signum() <= 0) {
            throw new IllegalArgumentException("bound must be positive");
        }
        if (n.bitLength() < 63) {
            return BigInteger.valueOf(boundedLong(n.longValue(), random));
        }
        int bits = n.bitLength();
        BigInteger r;
        do {
            r = new BigInteger(bits, random);
        } while (r.compareTo(n) >= 0);
        return r;
    }

    private static long boundedLong(long n, Random random) {
        // Rejection on the largest multiple of n below 2^63: unbiased.
        long limit = Long.MAX_VALUE - Long.MAX_VALUE % n;
        long r;
        do {
            r = random.nextLong() >>> 1;
        } while (r >= limit);
        return r % n;
    }

    /** True with probability {@code num / den}, {@code 0 ≤ num ≤ den}. */
    static boolean bernoulli(BigInteger num, BigInteger den, Random random) {
        return uniform(den, random).compareTo(num) < 0;
    }

    /** True with probability {@code exp(−num / den)}, {@code num ≥ 0}, {@code den > 0} (Algorithm 1). */
    static boolean bernoulliExp(BigInteger num, BigInteger den, Random random) {
        if (num.compareTo(den) <= 0) {
            return bernoulliExpAtMostOne(num, den, random);
        }
        // exp(−γ) = exp(−1)^⌊γ⌋ · exp(−(γ − ⌊γ⌋)): stop at the first failure.
        BigInteger[] qr = num.divideAndRemainder(den);
        for (BigInteger i = BigInteger.ZERO; i.compareTo(qr[0]) < 0; i = i.add(BigInteger.ONE)) {
            if (!bernoulliExpAtMostOne(BigInteger.ONE, BigInteger.ONE, random)) {
                return false;
            }
        }
        return bernoulliExpAtMostOne(qr[1], den, random);
    }

    /**
     * exp(−γ) for γ = num/den in [0, 1]: draw A_k ~ Bernoulli(γ/k) for k = 1, 2, … until the first
     * failure at K; K is odd with probability Σ (−γ)^j / j! = exp(−γ). Bernoulli(γ/k) is drawn as
     * Bernoulli(γ) ∧ Bernoulli(1/k), which keeps the integers small.
     */
    private static boolean bernoulliExpAtMostOne(BigInteger num, BigInteger den, Random random) {
        long k = 1;
        while (bernoulli(num, den, random) && bernoulli(BigInteger.ONE, BigInteger.valueOf(k), random)) {
            k++;
        }
        return (k & 1) == 1;
    }

    /** The number of successes of Bernoulli(exp(−1)) before the first failure: Geometric with ratio exp(−1). */
    static BigInteger geometricExpMinusOne(Random random) {
        BigInteger v = BigInteger.ZERO;
        while (bernoulliExpAtMostOne(BigInteger.ONE, BigInteger.ONE, random)) {
            v = v.add(BigInteger.ONE);
        }
        return v;
    }
}
