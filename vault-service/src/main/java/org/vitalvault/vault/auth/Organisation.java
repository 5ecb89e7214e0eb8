package org.vitalvault.vault.auth;

import java.time.Instant;
import java.util.UUID;

/**
 * A researcher organisation as stored: its current Ed25519 public key (raw 32 bytes) and whether an
 * operator approved or suspended it. {@code subject} is the bearer-token subject that registered and manages it;
 * {@code suspension} is null unless the organisation is suspended.
 */
public record Organisation(UUID id, String name, String subject, byte[] publicKey, String kid, Status status,
                           Instant registeredAt, Instant approvedAt, Suspension suspension) {

    /** Whether the organisation may request leases. */
    public enum Status {
        /** Registered, waiting for an operator. */
        PENDING,
        /** An operator approved it. */
        APPROVED,
        /** An operator suspended it: it may neither lease nor query until reinstated (decision 026). */
        SUSPENDED
    }

    /**
     * Who suspended the organisation, when and why: present exactly while its status is
     * {@link Status#SUSPENDED}.
     *
     * @param by the operator's token subject
     */
    public record Suspension(Instant at, String by, String reason) {
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

    public boolean suspended() {
        return status == Status.SUSPENDED;
    }
}
