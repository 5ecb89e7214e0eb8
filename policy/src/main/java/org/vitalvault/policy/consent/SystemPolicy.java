package org.vitalvault.policy.consent;

import java.time.Duration;
import org.vitalvault.policy.internal.Checks;

/**
 * The deployment's own terms, the third party of "the stricter term wins" (owner, co-op, system):
 * the smallest cohort any aggregate may describe, the most privacy loss one lease and one year may
 * spend on any owner, and the longest lease. An owner's or co-op's terms can tighten these, never
 * loosen them.
 *
 * @param minimumCohort      smallest cohort released, at least {@link #SMALL_CELL_MINIMUM}
 * @param maxEpsilonPerLease cap on ε one lease spends on an owner
 * @param maxEpsilonPerYear  cap on ε all leases spend on an owner in 365 days
 * @param maxLeasePeriod     longest lease period
 */
public record SystemPolicy(int minimumCohort, double maxEpsilonPerLease, double maxEpsilonPerYear,
                           Duration maxLeasePeriod) {

    /**
     * The floor no configuration can go below: 11, the small-cell threshold of the US Centers for
     * Medicare &amp; Medicaid Services' cell-size suppression policy (cells of 1 to 10 are not shown).
     */
    public static final int SMALL_CELL_MINIMUM = 11;

    /**
     * k = 11; ε at most 2 per lease and 10 per 365 days; leases of at most 366 days. The ε caps are
     * a policy choice in the range deployed systems use (a per-query ε around 1 is common; the US
     * Census 2020 spent about 17 on a whole census); owners usually set their own, lower caps.
     */
    public static final SystemPolicy DEFAULT = new SystemPolicy(SMALL_CELL_MINIMUM, 2.0, 10.0, Duration.ofDays(366));

    public SystemPolicy {
        if (minimumCohort < SMALL_CELL_MINIMUM) {
            throw new IllegalArgumentException("minimumCohort must be at least " + SMALL_CELL_MINIMUM + ", was " + minimumCohort);
        }
        Checks.positive("maxEpsilonPerLease", maxEpsilonPerLease);
        Checks.positive("maxEpsilonPerYear", maxEpsilonPerYear);
        if (maxEpsilonPerLease > maxEpsilonPerYear) {
            throw new IllegalArgumentException("maxEpsilonPerLease must not exceed maxEpsilonPerYear");
        }
        Checks.given("maxLeasePeriod", maxLeasePeriod);
        if (maxLeasePeriod.isNegative() || maxLeasePeriod.isZero()) {
            throw new IllegalArgumentException("maxLeasePeriod must be positive, was " + maxLeasePeriod);
        }
    }

    /**
     * {@code terms} when this deployment admits them (its minimum cohort may be above the floor).
     *
     * @throws IllegalArgumentException naming {@code minimumCohort} when the terms ask for less
     */
    public Terms requireAdmits(Terms terms) {
        if (terms.minimumCohort() < minimumCohort) {
            throw new IllegalArgumentException("minimumCohort must be at least " + minimumCohort
                    + " (the system minimum), was " + terms.minimumCohort());
        }
        return terms;
    }
}
