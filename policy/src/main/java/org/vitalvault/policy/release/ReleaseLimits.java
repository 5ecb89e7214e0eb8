package org.vitalvault.policy.release;

import org.vitalvault.metric.Metric;
import org.vitalvault.policy.consent.AggregateKind;
import org.vitalvault.policy.internal.Checks;

/**
 * What one query may ask for, decided from the query alone before any data is read: its ε lies in
 * {@code [minEpsilon, maxEpsilon]} and it releases at most {@code maxNumbers} numbers.
 *
 * <p><b>Why a floor on ε.</b> A query at ε = 1e-9 costs nothing and its noise is astronomically
 * large, yet everything that does <em>not</em> depend on the noise — which error happens, how long it
 * takes — would still depend on the data. With a floor (default 0.01) every query pays a real price
 * and the sampler's integers stay small: at the floor, the largest bucket count and the widest metric
 * the noise scale is below 10¹⁶ grid units, far from {@code Long.MAX_VALUE}. The ceiling (default
 * 1.0) keeps one query from spending a whole lease in one release of nearly exact numbers.
 *
 * <p><b>Why a bound on size.</b> The release runs inside the transaction that holds the lease's and
 * the owners' row locks, so its work must be bounded: buckets × (scalar kinds + quantiles + histogram
 * bins) numbers, at most {@code maxNumbers} (default 10,000).
 *
 * @param minEpsilon smallest ε one query may spend
 * @param maxEpsilon largest ε one query may spend
 * @param maxNumbers most numbers one query may release
 */
public record ReleaseLimits(double minEpsilon, double maxEpsilon, int maxNumbers) {

    /** ε in [0.01, 1.0], at most 10,000 numbers. */
    public static final ReleaseLimits DEFAULT = new ReleaseLimits(0.01, 1.0, 10_000);

    public ReleaseLimits {
        Checks.positive("minEpsilon", minEpsilon);
        Checks.positive("maxEpsilon", maxEpsilon);
        if (minEpsilon < 1e-3) {
            // Below this the sampler's integers could grow past a long at the widest metric and most buckets.
            throw new IllegalArgumentException("minEpsilon must be at least 0.001, was " + minEpsilon);
        }
        if (maxEpsilon < minEpsilon) {
            throw new IllegalArgumentException("maxEpsilon must not be below minEpsilon");
        }
        if (maxNumbers < 1 || maxNumbers > 1_000_000) {
            throw new IllegalArgumentException("maxNumbers must lie in [1, 1000000], was " + maxNumbers);
        }
    }

    /**
     * @throws IllegalArgumentException whose message starts with the offending field's name
     *     ({@code epsilon}, {@code quantiles}, {@code buckets}) when the query asks for more than allowed
     */
    public void check(AggregateQuery query) {
        if (!(query.epsilon() >= minEpsilon && query.epsilon() <= maxEpsilon)) {
            throw new IllegalArgumentException("epsilon must lie in [" + minEpsilon + ", " + maxEpsilon
                    + "] for one query, was " + query.epsilon());
        }
        long numbers = releasedNumbers(query);
        if (numbers > maxNumbers) {
            // Quantiles listed but not asked release nothing: then the buckets are what is too many.
            String field = query.kinds().contains(AggregateKind.QUANTILES) && query.quantiles().size() > 1 ? "quantiles" : "buckets";
            throw new IllegalArgumentException(field + ": the query would release " + numbers
                    + " numbers (buckets × (kinds + quantiles + histogram bins)); at most " + maxNumbers + " are allowed");
        }
    }

    /** How many numbers the query releases: per bucket, one per scalar kind, quantile and histogram bin. */
    public static long releasedNumbers(AggregateQuery query) {
        long perBucket = 0;
        for (AggregateKind k : query.kinds()) {
            perBucket += switch (k) {
                case QUANTILES -> query.quantiles().size();
                case HISTOGRAM -> bins(Checks.metric("metric", query.metric()));
                default -> 1;
            };
        }
        return perBucket * query.buckets().size();
    }

    /** The metric's histogram bins, laid out as HourRollup lays them over the clamp range. */
    static int bins(Metric metric) {
        return Math.max(1, (int) Math.ceil((metric.clampMax() - metric.clampMin()) / metric.binWidth() - 1e-9));
    }
}
