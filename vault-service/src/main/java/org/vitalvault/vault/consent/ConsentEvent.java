package org.vitalvault.vault.consent;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.Generated;

/**
 * A row of {@code consent_event}: only {@link ConsentEvents} writes it, once (the table's trigger
 * refuses UPDATE and DELETE, so a changed field would fail at flush rather than rewrite the trail).
 * Identified by the receipt id, which the table keeps unique: the table's own key
 * {@code (owner_id, seq)} holds a number the database generates, which Hibernate cannot generate
 * inside a composite key. (Not {@code @Immutable}: Hibernate refuses to read {@code seq} back into a
 * read-only entity.)
 */
@Entity
@Table(name = "consent_event")
public class ConsentEvent extends PanacheEntityBase {

    @Id
    @Column(name = "receipt_id")
    public UUID receiptId;

    @Column(name = "owner_id", nullable = false)
    public UUID ownerId;

    /** Recording order, numbered by the database ({@code generated always as identity}); read back on insert. */
    @Generated
    @Column(insertable = false, updatable = false)
    public Long seq;

    /** {@link ConsentAction#code()}. */
    @Column(nullable = false)
    public String action;

    @Column(name = "consent_id", nullable = false)
    public UUID consentId;

    @Column(name = "coop_id")
    public UUID coopId;

    /** Plaintext actor of a row from before V14 not yet hashed by the start-up backfill; null otherwise. */
    @Column
    public String actor;

    /** The actor's subject as owner rows store it (SubjectHashes.owner): a dump shows no subject. */
    @Column(name = "actor_hash")
    public byte[] actorHash;

    @Column(name = "occurred_at", nullable = false)
    public Instant occurredAt;

    @Column(nullable = false)
    public String jws;
}
