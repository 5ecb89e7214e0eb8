package org.vitalvault.vault.auth;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * A person who owns a vault. Identified to REST by the bearer token's subject, stored only as its
 * keyed hash ({@link SubjectHashes#owner}); {@code subject} is the plaintext of rows written before
 * V14, null once the start-up backfill hashed it (docs/decisions/037).
 */
@Entity
@Table(name = "owner")
public class Owner extends PanacheEntityBase {

    @Id
    @Column(name = "owner_id")
    public UUID id;

    /** Plaintext subject of a row from before V14 that the backfill has not hashed yet; null otherwise. */
    @Column
    public String subject;

    @Column(name = "subject_hash", unique = true)
    public byte[] subjectHash;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /**
     * The owner who signs in as the subject whose hash is {@code subjectHash}; {@code subject} also finds
     * a row from before V14 that the start-up backfill has not hashed yet.
     */
    public static Optional<Owner> findBySubject(byte[] subjectHash, String subject) {
        return find("subjectHash = ?1 or subject = ?2", subjectHash, subject).firstResultOptional();
    }

    /** Whether this owner signs in as the subject whose hash is {@code subjectHash} (or, before the backfill, as {@code subject}). */
    public boolean signsInAs(byte[] subjectHash, String subject) {
        return this.subjectHash != null ? MessageDigest.isEqual(this.subjectHash, subjectHash) : subject.equals(this.subject);
    }
}
