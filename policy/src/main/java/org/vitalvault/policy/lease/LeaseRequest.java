package org.vitalvault.policy.lease;

import java.util.Set;
import java.util.UUID;
import org.vitalvault.policy.consent.AggregateKind;
import org.vitalvault.policy.consent.Granularity;
import org.vitalvault.policy.consent.Purpose;
import org.vitalvault.policy.consent.TimeWindow;
import org.vitalvault.policy.internal.Checks;

/**
 * A researcher organisation's request to lease aggregates.
 *
 * @param researcher  the requesting organisation's id
 * @param purpose     the one purpose of use
 * @param metrics     metric codes of the catalogue
 * @param kinds       aggregate kinds
 * @param granularity the finest time bucket the queries will use
 * @param dataWindow  the readings the queries will cover, by reading time
 * @param validity when queries may be made
 * @param epsilon     the privacy budget ε asked for the whole lease (all releases together)
 * @param cohort      who the request is about; {@code null} reads as {@link CohortFilter#ANYONE}
 */
public record LeaseRequest(UUID researcher, Purpose purpose, Set<String> metrics, Set<AggregateKind> kinds,
                           Granularity granularity, TimeWindow dataWindow, TimeWindow validity, double epsilon,
                           CohortFilter cohort) {

    public LeaseRequest {
        Checks.given("researcher", researcher);
        Checks.oneOf("purpose", purpose, Purpose.class);
        metrics = Checks.metricCodes("metrics", metrics);
        kinds = Checks.nonEmptyEnumSet("kinds", kinds, AggregateKind.class);
        Checks.oneOf("granularity", granularity, Granularity.class);
        TimeWindow.requireNonEmpty("dataWindow", dataWindow);
        TimeWindow.requireNonEmpty("validity", validity);
        Checks.positive("epsilon", epsilon);
        cohort = cohort == null ? CohortFilter.ANYONE : cohort;
    }
}
