package org.vitalvault.vault.auth;

import java.time.Instant;
import java.util.UUID;

/**
 * A researcher organisation as stored: its Ed25519 public key (raw 32 bytes) and whether an
 * operator approved it. {@code subject} is the bearer-token subject that registered and manages it.
 */
public record Organisation(UUID id, String name, String subject, byte[] publicKey, String kid, Status status,
                           Instant registeredAt, Instant approvedAt) {

    /** Whether the organisation may request leases. */
    public enum Status {
        /** Registered, waiting for an operator. */
        PENDING,
        /** An operator approved it. */
        APPROVED
    }

    public Organisation {
        publicKey = publicKey.clone();
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    public boolean approved() {
        return status == Status.APPROVED;
    }
}
