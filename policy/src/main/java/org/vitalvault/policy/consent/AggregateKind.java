package org.vitalvault.policy.consent;

import org.vitalvault.policy.internal.Checks;

/**
 * What an aggregate computes over a cohort's values in one time bucket. A grant lists the kinds an
 * owner allows; a request is covered only when every kind it asks for is allowed. How each kind is
 * made differentially private is in {@code org.vitalvault.policy.privacy.Measurement}.
 */
public enum AggregateKind {
    /** How many owners contributed a value. */
    COUNT,
    /** Mean of the owners' values. */
    MEAN,
    /** Sum of the owners' values. */
    SUM,
    /** Population standard deviation of the owners' values. */
    STDDEV,
    /** Quantiles (e.g. median, p90) of the owners' values, read from a noisy histogram. */
    QUANTILES,
    /** Counts of owners per fixed bin of the metric's clamp range. */
    HISTOGRAM;

    /**
     * @throws IllegalArgumentException naming the allowed values when {@code name} is not one of them
     */
    public static AggregateKind of(String name) {
        for (AggregateKind k : values()) {
            if (k.name().equalsIgnoreCase(name)) {
                return k;
            }
        }
        throw new IllegalArgumentException("aggregate kind must be one of " + Checks.allowed(AggregateKind.class));
    }
}
