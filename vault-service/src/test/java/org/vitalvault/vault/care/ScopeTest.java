package org.vitalvault.vault.care;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vitalvault.vault.readings.OwnerSeries.Resolution;
import org.vitalvault.vault.refusal.NotPermitted;

/** The delegation's boundary as a value: metrics, finest resolution, data window. */
class ScopeTest {

    private static final Instant FROM = Instant.parse("2026-11-10T10:30:00Z");
    private static final Instant UNTIL = Instant.parse("2026-11-12T18:45:00Z");
    private final Scope scope = new Scope(List.of("heart_rate"), Resolution.MINUTE, new DataWindow(FROM, UNTIL));

    @Test
    void aMetricNotSharedIsOutsideTheDelegation() {
        NotPermitted e = assertThrows(NotPermitted.class,
                () -> scope.permit("body_temperature", Resolution.HOUR, FROM, UNTIL));
        assertEquals(Scope.OUTSIDE, e.code());
    }

    @Test
    void aResolutionFinerThanAllowedIsOutsideTheDelegationAndCoarserOnesAreNot() {
        assertEquals(Scope.OUTSIDE, assertThrows(NotPermitted.class,
                () -> scope.permit("heart_rate", Resolution.RAW, FROM, UNTIL)).code());
        scope.permit("heart_rate", Resolution.MINUTE, FROM, UNTIL);
        scope.permit("heart_rate", Resolution.DAY, FROM, UNTIL);
    }

    @Test
    void aRangeThatMissesTheWindowIsOutsideTheDelegation() {
        assertThrows(NotPermitted.class, () -> scope.permit("heart_rate", Resolution.MINUTE,
                FROM.minusSeconds(7200), FROM));
        assertThrows(NotPermitted.class, () -> scope.permit("heart_rate", Resolution.MINUTE,
                UNTIL, UNTIL.plusSeconds(60)));
    }

    @Test
    void aRangePartlyOutsideTheWindowIsClippedToIt() {
        assertEquals(new Scope.Range(FROM, UNTIL), scope.permit("heart_rate", Resolution.MINUTE,
                FROM.minusSeconds(86_400), UNTIL.plusSeconds(86_400)));
    }

    @Test
    void hourBucketsAreShrunkInwardWhereTheWindowCutsThem() {
        assertEquals(new Scope.Range(Instant.parse("2026-11-10T11:00:00Z"), Instant.parse("2026-11-12T18:00:00Z")),
                scope.permit("heart_rate", Resolution.HOUR, FROM.minusSeconds(86_400), UNTIL.plusSeconds(86_400)));
    }

    @Test
    void dayBucketsOnlyWhereTheWholeDayIsInTheWindow() {
        assertEquals(new Scope.Range(Instant.parse("2026-11-11T00:00:00Z"), Instant.parse("2026-11-12T00:00:00Z")),
                scope.permit("heart_rate", Resolution.DAY, FROM, UNTIL));
        // Inside the window but no whole day of it: nothing may be read at day resolution.
        assertThrows(NotPermitted.class, () -> scope.permit("heart_rate", Resolution.DAY,
                Instant.parse("2026-11-12T00:00:00Z"), UNTIL));
    }

    @Test
    void withoutAWindowEveryRangeIsReadAsAsked() {
        Scope all = new Scope(List.of("heart_rate"), Resolution.RAW, null);
        assertEquals(new Scope.Range(FROM, UNTIL), all.permit("heart_rate", Resolution.HOUR, FROM, UNTIL));
    }

    @Test
    void anOpenEndedWindowShowsEverythingFromItsStart() {
        Scope open = new Scope(List.of("heart_rate"), Resolution.RAW, new DataWindow(FROM, null));
        assertEquals(new Scope.Range(FROM, UNTIL), open.permit("heart_rate", Resolution.RAW, FROM.minusSeconds(5), UNTIL));
    }
}
