package org.vitalvault.policy.release;

import org.vitalvault.policy.privacy.NoisyValue;

/**
 * One released quantile.
 *
 * @param probability the quantile's probability, e.g. 0.9 for p90
 * @param value       the noisy quantile, its noise scale and 95% interval
 */
public record QuantileEstimate(double probability, NoisyValue value) {
}
