package org.vitalvault.policy.consent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class GranularityTest {

    @Test
    void dailyRequestIsCoveredByAnHourlyGrantButNotTheOtherWayRound() {
        assertTrue(Granularity.DAY.isAtLeastAsCoarseAs(Granularity.HOUR));
        assertFalse(Granularity.HOUR.isAtLeastAsCoarseAs(Granularity.DAY));
    }

    @Test
    void unknownGranularityNamesTheAllowedValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Granularity.of("minute"));
        assertEquals("granularity must be one of HOUR, DAY, WEEK, MONTH", e.getMessage());
    }

    @Property(tries = 100)
    void theCoarserOfTwoIsCoveredByBoth(@ForAll Granularity a, @ForAll Granularity b) {
        Granularity stricter = Granularity.coarser(a, b);
        assertTrue(stricter.isAtLeastAsCoarseAs(a) && stricter.isAtLeastAsCoarseAs(b));
        assertTrue(stricter == a || stricter == b);
    }
}
