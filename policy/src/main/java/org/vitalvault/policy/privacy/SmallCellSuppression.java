package org.vitalvault.policy.privacy;

import org.vitalvault.policy.consent.SystemPolicy;

/**
 * The small-cell rule on <em>noisy</em> counts: a cell (a time bucket, or a histogram bin) whose noisy
 * contributor count is below k is shown as suppressed, without its aggregates.
 *
 * <p><b>Why noisy.</b> Deciding on the true count would tell, for free, whether a cell holds k or
 * more owners: an attacker with k − 1 owners of their own learns from one flag whether a victim is in
 * the cell, at any ε (decision 024). Given only a noisy count that was already released (and charged),
 * the rule is post-processing: it costs no ε and adds no δ. Pass it noisy counts only.
 *
 * @param k the minimum number of contributors, at least {@link SystemPolicy#SMALL_CELL_MINIMUM}
 */
public record SmallCellSuppression(int k) {

    public SmallCellSuppression {
        if (k < SystemPolicy.SMALL_CELL_MINIMUM) {
            throw new IllegalArgumentException("k must be at least " + SystemPolicy.SMALL_CELL_MINIMUM + ", was " + k);
        }
    }

    /** True when a cell whose noisy contributor count is {@code noisyContributors} is shown. */
    public boolean releases(long noisyContributors) {
        return noisyContributors >= k;
    }
}
