package org.vitalvault.vault.auth;

import java.security.MessageDigest;
import java.time.Instant;
import java.util.UUID;

/**
 * A researcher organisation as stored: its current Ed25519 public key (raw 32 bytes) and whether an
 * operator approved or suspended it. The bearer-token subject that registered and manages it is kept
 * only as {@code subjectHash} ({@link SubjectHashes#organisation}); {@code legacySubject} is the
 * plaintext of a row from before V14 not yet hashed by the start-up backfill, else null.
 * {@code suspension} is null unless the organisation is suspended.
 */
public record Organisation(UUID id, String name, byte[] subjectHash, String legacySubject, byte[] publicKey, String kid, Status status,
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
        subjectHash = subjectHash == null ? null : subjectHash.clone();
    }

    @Override
    public byte[] subjectHash() {
        return subjectHash == null ? null : subjectHash.clone();
    }

    /** Whether the subject whose hash is {@code hash} (plaintext {@code subject}) manages this organisation. */
    public boolean managedBy(byte[] hash, String subject) {
        return subjectHash != null ? MessageDigest.isEqual(subjectHash, hash) : subject.equals(legacySubject);
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
