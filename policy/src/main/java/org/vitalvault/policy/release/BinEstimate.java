package org.vitalvault.policy.release;

import org.vitalvault.policy.privacy.NoisyValue;

/**
 * One histogram bin {@code [low, high)} (the last bin includes {@code high}), with its noisy count,
 * or suppressed when fewer than k owners fall in it.
 *
 * @param low   lower edge, metric unit
 * @param high  upper edge, metric unit
 * @param count the noisy count, or {@code null} when suppressed
 */
public record BinEstimate(double low, double high, NoisyValue count) {

    /** True when the bin was not released. */
    public boolean suppressed() {
        return count == null;
    }
}
