package org.vitalvault.researcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Times on the command line without GNU date: instants, dates, and anchors with offsets. */
class TimeArgTest {

    private static final Instant NOW = Instant.parse("2026-12-02T05:07:09.123Z");

    @Test
    void anInstantIsTakenAsWritten() {
        assertEquals(Instant.parse("2026-11-01T06:00:00Z"), TimeArg.parse("2026-11-01T06:00:00Z", NOW));
    }

    @Test
    void aDateIsItsUtcMidnight() {
        assertEquals(Instant.parse("2026-11-01T00:00:00Z"), TimeArg.parse("2026-11-01", NOW));
    }

    @Test
    void anchorsAreNowToTheSecondTheHourAndTheDay() {
        assertEquals(Instant.parse("2026-12-02T05:07:09Z"), TimeArg.parse("now", NOW));
        assertEquals(Instant.parse("2026-12-02T05:00:00Z"), TimeArg.parse("hour", NOW));
        assertEquals(Instant.parse("2026-12-02T00:00:00Z"), TimeArg.parse("today", NOW));
    }

    @Test
    void offsetsMoveFromTheAnchorAndABareOffsetIsFromNow() {
        assertEquals(Instant.parse("2026-11-25T00:00:00Z"), TimeArg.parse("today-7d", NOW));
        assertEquals(Instant.parse("2026-12-01T05:00:00Z"), TimeArg.parse("hour-24h", NOW));
        assertEquals(Instant.parse("2027-01-01T05:07:09Z"), TimeArg.parse("now+30d", NOW));
        assertEquals(Instant.parse("2026-11-04T05:07:09Z"), TimeArg.parse("-4w", NOW));
        assertEquals(Instant.parse("2026-12-02T04:57:09Z"), TimeArg.parse("now-10m", NOW));
    }

    @Test
    void anythingElseIsRefusedSayingWhatIsAccepted() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TimeArg.parse("yesterday", NOW));
        assertEquals(true, e.getMessage().contains("today-7d"));
        assertThrows(IllegalArgumentException.class, () -> TimeArg.parse("", NOW));
        assertThrows(IllegalArgumentException.class, () -> TimeArg.parse("today-7y", NOW));
    }
}
