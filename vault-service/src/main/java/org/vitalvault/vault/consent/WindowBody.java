package org.vitalvault.vault.consent;

import java.time.Instant;
import org.vitalvault.policy.consent.TimeWindow;

/** A time window as JSON: {@code from} inclusive, {@code until} exclusive, ISO-8601 instants. */
public record WindowBody(Instant from, Instant until) {

    static WindowBody of(TimeWindow w) {
        return new WindowBody(w.from(), w.until());
    }
}
