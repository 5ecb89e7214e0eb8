package org.vitalvault.policy.privacy;

import org.vitalvault.policy.consent.SystemPolicy;

/**
 * The small-cell rule: a cell (a time bucket, or a histogram bin) with fewer than k contributors is
 * not released at all, not even noised.
 *
 * <p><b>Limit.</b> The rule looks at the true number of contributors, so whether a cell is shown
 * tells that it has at least k; this is the disclosure the rule (CMS's cell-size policy, k-anonymity)
 * accepts, and it sits on top of differential privacy rather than inside it: the DP guarantee is for
 * the released values given which cells are shown.
 *
 * @param k the minimum number of contributors, at least {@link SystemPolicy#SMALL_CELL_MINIMUM}
 */
public record SmallCellSuppression(int k) {

    public SmallCellSuppression {
        if (k < SystemPolicy.SMALL_CELL_MINIMUM) {
            throw new IllegalArgumentException("k must be at least " + SystemPolicy.SMALL_CELL_MINIMUM + ", was " + k);
        }
    }

    /** True when a cell with this many contributors may be released. */
    public boolean releases(long contributors) {
        return contributors >= k;
    }
}
