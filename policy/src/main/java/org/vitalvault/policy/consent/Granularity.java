package org.vitalvault.policy.consent;

import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How fine a time bucket an aggregate may use. Ordered from finest to coarsest: an owner's grant
 * names the finest granularity they allow, and a request is covered when it asks for that or
 * coarser.
 */
public enum Granularity {
    HOUR(Duration.ofHours(1)),
    DAY(Duration.ofDays(1)),
    WEEK(Duration.ofDays(7)),
    MONTH(Duration.ofDays(30));

    private final Duration nominalLength;

    Granularity(Duration nominalLength) {
        this.nominalLength = nominalLength;
    }

    /** Nominal length (a month counts as 30 days); calendar alignment is the query's business. */
    public Duration nominalLength() {
        return nominalLength;
    }

    /** True when asking for this granularity is allowed by a grant whose finest is {@code finestAllowed}. */
    public boolean isAtLeastAsCoarseAs(Granularity finestAllowed) {
        return compareTo(finestAllowed) >= 0;
    }

    /** The stricter (coarser) of two granularities. */
    public static Granularity coarser(Granularity a, Granularity b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /**
     * @throws IllegalArgumentException naming the allowed values when {@code name} is not one of them
     */
    public static Granularity of(String name) {
        for (Granularity g : values()) {
            if (g.name().equalsIgnoreCase(name)) {
                return g;
            }
        }
        throw new IllegalArgumentException("granularity must be one of "
                + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", ")));
    }
}
