package org.vitalvault.vault.consent;

import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.vitalvault.policy.consent.TimeWindow;

/** A time window as JSON: {@code from} inclusive, {@code until} exclusive, ISO-8601 instants. */
public record WindowBody(@Schema(example = "2026-12-01T00:00:00Z") Instant from,
                         @Schema(example = "2027-12-01T00:00:00Z") Instant until) {

    static WindowBody of(TimeWindow w) {
        return new WindowBody(w.from(), w.until());
    }
}
