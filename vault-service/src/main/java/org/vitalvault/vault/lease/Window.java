package org.vitalvault.vault.lease;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.vitalvault.policy.consent.TimeWindow;
import org.vitalvault.vault.refusal.InvalidInput;

/** A time window in JSON: {@code from} inclusive, {@code until} exclusive, ISO-8601 instants. */
public record Window(Instant from, Instant until) {

    /** The window, to the microsecond PostgreSQL keeps; a missing end is a 400 naming {@code field}. */
    public TimeWindow toTimeWindow(String field) {
        if (from == null || until == null) {
            throw InvalidInput.field(field, "must have from and until");
        }
        return new TimeWindow(from.truncatedTo(ChronoUnit.MICROS), until.truncatedTo(ChronoUnit.MICROS));
    }

    public static Window of(TimeWindow w) {
        return new Window(w.from(), w.until());
    }
}
