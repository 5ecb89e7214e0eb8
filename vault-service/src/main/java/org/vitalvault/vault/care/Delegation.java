package org.vitalvault.vault.care;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * One delegation as stored, its texts opened: who the owner lets read what, until when.
 *
 * @param label      the owner's name for the caregiver ("Sam (nurse)"); the accessor in the owner's access list
 * @param sharedAs   the name the caregiver sees the owner by, or null
 * @param accepted   whether a caregiver holds it (an invite redeemed, or a subject named at creation)
 * @param acceptedAt when an invite was redeemed, or null
 */
public record Delegation(UUID ownerId, UUID id, String label, String sharedAs, boolean accepted, Scope scope,
                         Instant expiresAt, Instant createdAt, Instant acceptedAt, Instant revokedAt) {

    /** What the owner's view calls the delegation's state. */
    public enum Status {
        INVITED, ACTIVE, REVOKED, EXPIRED;

        public String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Delegation {
        Objects.requireNonNull(ownerId, "ownerId");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    public Status status(Instant now) {
        if (revokedAt != null) {
            return Status.REVOKED;
        }
        if (!now.isBefore(expiresAt)) {
            return Status.EXPIRED;
        }
        return accepted ? Status.ACTIVE : Status.INVITED;
    }
}
