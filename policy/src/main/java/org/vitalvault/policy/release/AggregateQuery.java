package org.vitalvault.policy.release;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.vitalvault.policy.consent.AggregateKind;
import org.vitalvault.policy.consent.Granularity;
import org.vitalvault.policy.internal.Checks;

/**
 * One query inside a lease: aggregates of one metric over a list of time buckets, at a privacy
 * loss of {@code epsilon} for the whole query. The buckets are chosen from the query alone (e.g.
 * every day of the last 30), never from which buckets hold data, because the number of buckets sets
 * the noise.
 *
 * @param metric      the metric code
 * @param granularity the buckets' granularity
 * @param buckets     the buckets' start instants, distinct, in the order results are wanted
 * @param kinds       the aggregate kinds
 * @param quantiles   probabilities in (0, 1) for QUANTILES (e.g. 0.5, 0.9); empty when not asked
 * @param epsilon     the privacy loss of the whole query
 */
public record AggregateQuery(String metric, Granularity granularity, List<Instant> buckets, Set<AggregateKind> kinds,
                             List<Double> quantiles, double epsilon) {

    /** The most quantiles one query may list (the released size is bounded further by {@link ReleaseLimits}). */
    public static final int MAX_QUANTILES = 99;

    public AggregateQuery {
        Checks.metric("metric", metric);
        Checks.oneOf("granularity", granularity, Granularity.class);
        Checks.given("buckets", buckets);
        if (buckets.isEmpty()) {
            throw new IllegalArgumentException("buckets must list at least one bucket");
        }
        buckets = List.copyOf(buckets);
        if (new HashSet<>(buckets).size() != buckets.size()) {
            throw new IllegalArgumentException("buckets must be distinct");
        }
        kinds = Checks.nonEmptyEnumSet("kinds", kinds, AggregateKind.class);
        List<Double> qs = new ArrayList<>();
        if (quantiles != null) {
            if (quantiles.size() > MAX_QUANTILES) {
                throw new IllegalArgumentException("quantiles must list at most " + MAX_QUANTILES + " probabilities");
            }
            for (Double q : quantiles) {
                if (q == null || !(q > 0 && q < 1)) {
                    throw new IllegalArgumentException("quantiles must be probabilities strictly between 0 and 1");
                }
                qs.add(q);
            }
        }
        if (kinds.contains(AggregateKind.QUANTILES) && qs.isEmpty()) {
            throw new IllegalArgumentException("quantiles must list at least one probability when QUANTILES is asked");
        }
        quantiles = List.copyOf(qs);
        Checks.positive("epsilon", epsilon);
    }
}
