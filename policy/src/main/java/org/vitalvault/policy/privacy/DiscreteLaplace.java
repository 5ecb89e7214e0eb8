package org.vitalvault.policy.privacy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.security.SecureRandom;
import java.util.Random;

/**
 * The discrete Laplace (two-sided geometric) distribution on the integers with scale {@code t}:
 * {@code P(X = x) = (1 − p)/(1 + p) · p^|x|}, {@code p = exp(−1/t)}. Added to an integer-valued query
 * of sensitivity Δ with {@code t = Δ/ε}, it gives ε-differential privacy exactly: shifting the
 * answer by at most Δ changes any probability by a factor of at most {@code p^−Δ = e^ε}.
 *
 * <p><b>Why not {@code −b·ln(U)}.</b> The textbook Laplace sampler on doubles leaks. Mironov ("On
 * Significance of the Least Significant Bits for Differential Privacy", CCS 2012) showed that the
 * set of doubles {@code x + Laplace} can reach depends on {@code x}, because {@code ln} of a
 * uniform double takes only a sparse, irregular set of values; some outputs are possible for one
 * input and impossible for its neighbour, so a single release can tell the two apart, which no ε
 * allows. Here the noise and the answer are integers on a fixed-point grid (see
 * {@link FixedPointGrid}), the scale is an exact rational, and the sampler (Canonne, Kamath and
 * Steinke 2020, Algorithm 2) draws only uniform integers and Bernoulli(exp(−γ)) for rational γ, so
 * the output distribution is exactly the one stated.
 *
 * <p>Immutable and thread-safe; the randomness is the caller's {@link SecureRandom}.
 */
public final class DiscreteLaplace {

    /**
     * The largest scale accepted, 2^50 (about 1.1·10^15). A draw is about the scale times a
     * Geometric(e^−1) count, so it passes {@link Long#MAX_VALUE} = 2^63 only after 2^13 = 8,192
     * successes in a row: probability below e^−8192, never in practice. Larger scales are refused
     * when the mechanism is built, before any data is read, instead of failing at a draw — which
     * would make an error depend on whether a cell is noised (issue 13: ε = 1e-300 answered 500 only
     * for shown buckets). The releases need far less: at most about 2·10^13 (a sum of squares of
     * sensitivity (range/2)² ≤ 2.5·10^7 grid units², 2,000 buckets × 4 measurements, ε 0.01).
     */
    public static final long MAX_SCALE = 1L << 50;

    private final BigInteger scaleNumerator;
    private final BigInteger scaleDenominator;
    private final double scale;

    private DiscreteLaplace(BigInteger scaleNumerator, BigInteger scaleDenominator) {
        if (scaleNumerator.signum() <= 0 || scaleDenominator.signum() <= 0) {
            throw new IllegalArgumentException("the scale must be a positive rational");
        }
        if (scaleNumerator.compareTo(scaleDenominator.multiply(BigInteger.valueOf(MAX_SCALE))) > 0) {
            throw new IllegalArgumentException("the scale must be at most 2^50 so that no draw can overflow a long;"
                    + " the privacy loss is too small for this query (or its sensitivity too large)");
        }
        BigInteger gcd = scaleNumerator.gcd(scaleDenominator);
        this.scaleNumerator = scaleNumerator.divide(gcd);
        this.scaleDenominator = scaleDenominator.divide(gcd);
        this.scale = new BigDecimal(this.scaleNumerator).divide(new BigDecimal(this.scaleDenominator), MathContext.DECIMAL64).doubleValue();
    }

    /**
     * Scale {@code numerator / denominator}.
     *
     * @throws IllegalArgumentException when the scale is not positive or exceeds {@link #MAX_SCALE}
     */
    public static DiscreteLaplace withScale(BigInteger numerator, BigInteger denominator) {
        return new DiscreteLaplace(numerator, denominator);
    }

    /** Scale {@code numerator / denominator}. */
    public static DiscreteLaplace withScale(long numerator, long denominator) {
        return new DiscreteLaplace(BigInteger.valueOf(numerator), BigInteger.valueOf(denominator));
    }

    /**
     * The ε-differentially private mechanism for an integer query of L1 sensitivity {@code sensitivity}:
     * scale Δ/ε, with ε the decimal the double is written as ({@link Double#toString}: 0.1 is 1/10),
     * exactly — the same decimal the ledger and the lease budget charge, so what is charged is
     * exactly what the noise pays for, and 1 + 0.9 + 0.1 spends a budget of 2 to the last digit.
     *
     * @throws IllegalArgumentException when ε is not a finite positive number or Δ/ε exceeds {@link #MAX_SCALE}
     */
    public static DiscreteLaplace forEpsilon(BigInteger sensitivity, double epsilon) {
        if (!(Double.isFinite(epsilon) && epsilon > 0)) {
            throw new IllegalArgumentException("epsilon must be a finite number greater than 0, was " + epsilon);
        }
        BigDecimal e = BigDecimal.valueOf(epsilon);
        // ε = unscaled / 10^scale exactly, so Δ/ε = Δ·10^scale / unscaled.
        BigInteger num = sensitivity;
        BigInteger den = e.unscaledValue();
        if (e.scale() >= 0) {
            num = num.multiply(BigInteger.TEN.pow(e.scale()));
        } else {
            den = den.multiply(BigInteger.TEN.pow(-e.scale()));
        }
        return new DiscreteLaplace(num, den);
    }

    /** One draw. */
    public long sample(SecureRandom random) {
        return draw(random);
    }

    /** One draw; package-private so the Gaussian sampler can share it. */
    long draw(Random random) {
        // Algorithm 2 with scale t/s, t = scaleNumerator, s = scaleDenominator.
        BigInteger t = scaleNumerator;
        BigInteger s = scaleDenominator;
        while (true) {
            BigInteger u = ExactSampling.uniform(t, random);
            if (!ExactSampling.bernoulliExp(u, t, random)) {
                continue;
            }
            BigInteger v = ExactSampling.geometricExpMinusOne(random);
            BigInteger y = u.add(t.multiply(v)).divide(s);
            boolean negative = random.nextBoolean();
            if (negative && y.signum() == 0) {
                continue;
            }
            long magnitude = y.longValueExact();
            return negative ? -magnitude : magnitude;
        }
    }

    /** The scale t (as a double, for reporting). */
    public double scale() {
        return scale;
    }

    /** {@code p = exp(−1/t)}. */
    public double ratio() {
        return Math.exp(-1 / scale);
    }

    /** {@code P(X = x)}. */
    public double probabilityOf(long x) {
        double p = ratio();
        return (1 - p) / (1 + p) * Math.pow(p, Math.abs((double) x));
    }

    /** The variance, {@code 2p / (1 − p)²}. */
    public double variance() {
        double p = ratio();
        return 2 * p / ((1 - p) * (1 - p));
    }

    /** The standard deviation. */
    public double standardDeviation() {
        return Math.sqrt(variance());
    }

    /**
     * The smallest m with {@code P(|X| ≤ m) ≥ confidence}: since {@code P(|X| > m) = 2p^(m+1)/(1 + p)},
     * {@code m = ⌈−t·ln((1 − confidence)(1 + p)/2)⌉ − 1}, rounded up to stay on the safe side.
     */
    public long halfWidth(double confidence) {
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must lie in (0, 1)");
        }
        double p = ratio();
        double m = -scale * Math.log((1 - confidence) * (1 + p) / 2);
        return Math.max(0, (long) Math.ceil(m * (1 + 1e-12)) - 1);
    }
}
