package org.vitalvault.vault.care;

import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * What an owner asks for when inviting a caregiver. Without {@code caregiverSubject} the answer
 * carries a one-time invite code to hand over; with it, the named login holds the delegation at once.
 */
public record DelegationRequest(
        @Schema(description = "the owner's name for the caregiver, shown in the owner's lists", example = "Sam (nurse)") String label,
        @Schema(description = "the caregiver's login subject; null: answer an invite code", nullable = true) String caregiverSubject,
        @Schema(description = "the name the caregiver sees the owner by", example = "Grandma", nullable = true) String sharedAs,
        @Schema(example = "[\"heart_rate\"]") List<String> metrics,
        @Schema(enumeration = {"raw", "minute", "hour", "day"}) String finestResolution,
        @Schema(description = "data times the caregiver may see; null: all", nullable = true) DataWindow window,
        @Schema(description = "when the caregiver's access ends") Instant expiresAt) {
}
