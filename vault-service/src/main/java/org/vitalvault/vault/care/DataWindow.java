package org.vitalvault.vault.care;

import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Which data times a caregiver may see: {@code from} inclusive, {@code until} exclusive (null: no
 * end). Not when the caregiver may look: that is the delegation's {@code expiresAt}.
 */
public record DataWindow(@Schema(example = "2026-12-01T00:00:00Z") Instant from,
                         @Schema(example = "2027-01-01T00:00:00Z", nullable = true) Instant until) {

    /** Whether a reading taken at {@code t} lies inside. */
    public boolean contains(Instant t) {
        return !t.isBefore(from) && (until == null || t.isBefore(until));
    }
}
