package org.vitalvault.vault.http;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.vitalvault.policy.consent.TimeWindow;
import org.vitalvault.vault.refusal.InvalidInput;

/** A time window in JSON, the one shape of every window in the API (decision 022): {@code from} inclusive, {@code until} exclusive, ISO-8601 instants. */
public record Window(@Schema(example = "2026-12-01T00:00:00Z") Instant from,
                     @Schema(example = "2027-01-01T00:00:00Z") Instant until) {

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
