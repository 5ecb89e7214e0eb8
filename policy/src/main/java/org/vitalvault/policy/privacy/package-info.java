/**
 * Differential-privacy mechanisms, safe on a computer's arithmetic.
 *
 * <p><b>Noise.</b> {@link org.vitalvault.policy.privacy.DiscreteLaplace} (pure ε-DP) and
 * {@link org.vitalvault.policy.privacy.DiscreteGaussian} (zCDP), sampled exactly with integer
 * arithmetic after Canonne, Kamath and Steinke (2020), on answers scaled to a
 * {@link org.vitalvault.policy.privacy.FixedPointGrid}: answer = Σ round(clamp(x)/step) + integer
 * noise, released × step. The textbook {@code −b·ln(U)} Laplace on doubles is not used: its outputs'
 * low-order bits depend on the true answer and can reveal it (Mironov 2012).
 *
 * <p><b>Sensitivity.</b> Per {@link org.vitalvault.policy.privacy.Measurement}: count 1, sum
 * max(|clampMin|, |clampMax|), centred sum of squares ((clampMax − clampMin)/2)², histogram 1 for all
 * its disjoint bins together. Mean = noisy sum / noisy count; standard deviation from count, sum and
 * sum of squares; quantiles from the noisy histogram — post-processing, free.
 *
 * <p><b>Small cells.</b> {@link org.vitalvault.policy.privacy.SmallCellSuppression}: a bucket or bin
 * whose noisy count is below k is shown as suppressed (decided on noise only: post-processing).
 *
 * <p><b>Intervals.</b> Every released {@link org.vitalvault.policy.privacy.NoisyValue} carries its
 * noise scale and a 95% interval computed from noisy outputs only.
 */
package org.vitalvault.policy.privacy;
