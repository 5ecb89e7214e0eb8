package org.vitalvault.policy.lease;

import java.util.Set;
import org.vitalvault.policy.consent.AggregateKind;
import org.vitalvault.policy.consent.Granularity;
import org.vitalvault.policy.consent.Purpose;
import org.vitalvault.policy.consent.TimeWindow;
import org.vitalvault.policy.internal.Checks;

/**
 * The terms a lease is granted on: the strictest of the request's, the eligible owners' (own or
 * co-op) and the system's. What the researcher may see.
 *
 * @param purpose         the purpose of use
 * @param metrics         metric codes
 * @param kinds           aggregate kinds
 * @param granularity     the finest time bucket
 * @param dataWindow      the readings covered
 * @param validity     when queries may be made
 * @param minimumCohort   k: no released cell describes fewer owners; the largest of the system's and every eligible owner's
 * @param epsilonPerLease ε for all the lease's releases together: the smallest of the request's, the system's and every eligible owner's per-lease cap
 */
public record EffectiveTerms(Purpose purpose, Set<String> metrics, Set<AggregateKind> kinds, Granularity granularity,
                             TimeWindow dataWindow, TimeWindow validity, int minimumCohort, double epsilonPerLease) {

    public EffectiveTerms {
        metrics = Checks.metricCodes("metrics", metrics);
        kinds = Checks.nonEmptyEnumSet("kinds", kinds, AggregateKind.class);
    }
}
