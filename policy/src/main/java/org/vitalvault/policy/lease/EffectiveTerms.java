package org.vitalvault.policy.lease;

import java.util.Set;
import org.vitalvault.policy.consent.AggregateKind;
import org.vitalvault.policy.consent.Granularity;
import org.vitalvault.policy.consent.Purpose;
import org.vitalvault.policy.consent.TimeWindow;
import org.vitalvault.policy.internal.Checks;

/**
 * The terms a lease is granted on: the stricter of the request's and the system's, never an owner's
 * (an owner's own stricter terms bind that owner, see {@link ConsentPolicyEngine}). What the researcher
 * may see: it depends on nothing but the request and the deployment.
 *
 * @param purpose         the purpose of use
 * @param metrics         metric codes
 * @param kinds           aggregate kinds
 * @param granularity     the finest time bucket
 * @param dataWindow      the readings covered
 * @param validity     when queries may be made
 * @param minimumCohort   k, the system's: a cell whose noisy count is below k is shown as suppressed
 * @param epsilonPerLease ε for all the lease's releases together: the smaller of the request's and the system's per-lease cap
 */
public record EffectiveTerms(Purpose purpose, Set<String> metrics, Set<AggregateKind> kinds, Granularity granularity,
                             TimeWindow dataWindow, TimeWindow validity, int minimumCohort, double epsilonPerLease) {

    public EffectiveTerms {
        metrics = Checks.metricCodes("metrics", metrics);
        kinds = Checks.nonEmptyEnumSet("kinds", kinds, AggregateKind.class);
    }
}
