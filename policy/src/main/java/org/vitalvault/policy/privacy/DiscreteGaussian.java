package org.vitalvault.policy.privacy;

import java.math.BigInteger;
import java.security.SecureRandom;

/**
 * The discrete Gaussian on the integers with variance parameter σ²:
 * {@code P(X = x) ∝ exp(−x²/(2σ²))}, sampled exactly by Canonne, Kamath and Steinke 2020,
 * Algorithm 3 (discrete Laplace proposals accepted with Bernoulli(exp(−γ)), γ rational).
 *
 * <p>It gives ρ-zero-concentrated differential privacy with {@code ρ = Δ²/(2σ²)} for sensitivity Δ,
 * which implies (ε, δ)-DP for every δ &gt; 0, but not pure ε-DP. The vault's budget and ledger
 * account pure ε, so releases use {@link DiscreteLaplace}; this mechanism is here for callers that
 * account ρ (its tails are lighter, which helps many-bucket releases).
 *
 * <p>Immutable and thread-safe; the randomness is the caller's {@link SecureRandom}.
 */
public final class DiscreteGaussian {

    private final BigInteger sigmaSquaredNumerator;
    private final BigInteger sigmaSquaredDenominator;
    private final BigInteger t;
    private final DiscreteLaplace proposal;

    private DiscreteGaussian(BigInteger num, BigInteger den) {
        if (num.signum() <= 0 || den.signum() <= 0) {
            throw new IllegalArgumentException("σ² must be a positive rational");
        }
        this.sigmaSquaredNumerator = num;
        this.sigmaSquaredDenominator = den;
        // ⌊σ⌋ = ⌊√⌊σ²⌋⌋ for every real σ² ≥ 0.
        this.t = num.divide(den).sqrt().add(BigInteger.ONE);
        this.proposal = DiscreteLaplace.withScale(t, BigInteger.ONE);
    }

    /** Variance parameter {@code numerator / denominator}. */
    public static DiscreteGaussian withSigmaSquared(long numerator, long denominator) {
        return new DiscreteGaussian(BigInteger.valueOf(numerator), BigInteger.valueOf(denominator));
    }

    /** One draw. */
    public long sample(SecureRandom random) {
        BigInteger num = sigmaSquaredNumerator;
        BigInteger den = sigmaSquaredDenominator;
        while (true) {
            long y = proposal.draw(random);
            // γ = (|y| − σ²/t)² / (2σ²) = (|y|·den·t − num)² / (2·num·den·t²)
            BigInteger a = BigInteger.valueOf(Math.abs(y)).multiply(den).multiply(t).subtract(num);
            BigInteger gammaNum = a.multiply(a);
            BigInteger gammaDen = BigInteger.TWO.multiply(num).multiply(den).multiply(t).multiply(t);
            if (ExactSampling.bernoulliExp(gammaNum, gammaDen, random)) {
                return y;
            }
        }
    }

    /** σ² (as a double, for reporting). */
    public double sigmaSquared() {
        return sigmaSquaredNumerator.doubleValue() / sigmaSquaredDenominator.doubleValue();
    }
}
