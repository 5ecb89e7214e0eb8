package org.vitalvault.deploy;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The consent terms the stack tests grant a research organisation: heart-rate-like metric, hourly
 * COUNT and MEAN for HRESCH, a year of data either side of today, valid 30 days, cohorts of 11,
 * ε 2 per lease and 10 a year, standard price. One place, so the tests that need a grant agree.
 */
public final class StandingTerms {

    private StandingTerms() {
    }

    /** The terms for {@code metric}, as the JSON body of {@code POST /owners/{id}/grants} wants them. */
    public static Map<String, Object> of(String metric) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant today = now.truncatedTo(ChronoUnit.DAYS);
        Map<String, Object> terms = new LinkedHashMap<>();
        terms.put("purposes", List.of("HRESCH"));
        terms.put("metrics", List.of(metric));
        terms.put("kinds", List.of("COUNT", "MEAN"));
        terms.put("granularity", "HOUR");
        terms.put("dataWindow", Map.of("from", today.minus(Duration.ofDays(365)).toString(),
                "until", today.plus(Duration.ofDays(365)).toString()));
        terms.put("validity", Map.of("from", now.minus(Duration.ofMinutes(1)).toString(),
                "until", now.plus(Duration.ofDays(30)).toString()));
        terms.put("minimumCohort", 11);
        terms.put("epsilonPerLease", 2.0);
        terms.put("epsilonPerYear", 10.0);
        terms.put("priceTier", "STANDARD");
        return terms;
    }
}
