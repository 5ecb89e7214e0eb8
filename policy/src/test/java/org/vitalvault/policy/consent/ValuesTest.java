package org.vitalvault.policy.consent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vitalvault.policy.Fixtures.day;
import static org.vitalvault.policy.Fixtures.days;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ValuesTest {

    @Test
    void aWindowIsHalfOpen() {
        TimeWindow w = days(0, 10);
        assertTrue(w.contains(day(0)));
        assertFalse(w.contains(day(10)));
        assertTrue(w.covers(days(0, 10)));
        assertFalse(w.covers(days(0, 11)));
        assertTrue(days(5, 5).isEmpty());
        assertEquals(days(5, 10), w.intersect(days(5, 20)));
        assertTrue(w.intersect(days(10, 20)).isEmpty());
    }

    @Test
    void enumsNameTheirAllowedValues() {
        assertEquals("aggregate kind must be one of COUNT, MEAN, SUM, STDDEV, QUANTILES, HISTOGRAM",
                assertThrows(IllegalArgumentException.class, () -> AggregateKind.of("median")).getMessage());
        assertEquals("ageBand must be one of 18-29, 30-39, 40-49, 50-59, 60-69, 70-79, 80+",
                assertThrows(IllegalArgumentException.class, () -> AgeBand.of("25")).getMessage());
        assertEquals(AgeBand.AGE_80_PLUS, AgeBand.of("80+"));
        assertEquals(PriceTier.PREMIUM, PriceTier.of("premium"));
        assertEquals(Sex.OTHER, Sex.of("other"));
    }

    @Test
    void aRegionIsAnIso3166CodeAndSubdivisionsLieInTheirCountry() {
        assertEquals("region must be an ISO 3166 code such as DE or DE-BY",
                assertThrows(IllegalArgumentException.class, () -> new OwnerAttributes(null, null, "Bavaria")).getMessage());
        assertTrue(new OwnerAttributes(null, null, "DE-BY").isInRegion("DE"));
        assertFalse(new OwnerAttributes(null, null, "DE").isInRegion("DE-BY"));
        assertFalse(new OwnerAttributes(null, null, "DE-BYX").isInRegion("DE-BY"));
    }

    @Test
    void theSystemMinimumCohortCanBeRaisedNotLowered() {
        assertThrows(IllegalArgumentException.class, () -> new SystemPolicy(10, 1, 1, Duration.ofDays(1)));
        SystemPolicy twenty = new SystemPolicy(20, 1, 2, Duration.ofDays(366));
        assertEquals("minimumCohort must be at least 20 (the system minimum), was 11",
                assertThrows(IllegalArgumentException.class, () -> twenty.requireAdmits(org.vitalvault.policy.Fixtures.terms().build())).getMessage());
    }
}
