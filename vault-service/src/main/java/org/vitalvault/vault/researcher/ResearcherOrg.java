package org.vitalvault.vault.researcher;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.vitalvault.vault.auth.Organisation;

/**
 * A row of {@code researcher_org}: only {@link ResearcherStore} reads and writes it. {@code publicKey}
 * and {@code kid} are the current key; {@link ResearcherKey} holds it too, with every earlier one.
 */
@Entity
@Table(name = "researcher_org")
public class ResearcherOrg extends PanacheEntityBase {

    @Id
    @Column(name = "org_id")
    public UUID id;

    @Column(nullable = false)
    public String name;

    /** Plaintext subject of a row from before V14 not yet hashed by the start-up backfill; null otherwise. */
    @Column
    public String subject;

    /** The managing subject's keyed hash (SubjectHashes.organisation): all a dump shows of who manages it. */
    @Column(name = "subject_hash", unique = true)
    public byte[] subjectHash;

    @Column(name = "public_key", nullable = false)
    public byte[] publicKey;

    @Column(nullable = false)
    public String kid;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Organisation.Status status;

    @Column(name = "registered_at", nullable = false)
    public Instant registeredAt;

    @Column(name = "approved_at")
    public Instant approvedAt;

    /** The operator's token subject that approved it. */
    @Column(name = "approved_by")
    public String approvedBy;

    /** The current suspension (all three null unless suspended); the history is {@link StatusChange}. */
    @Column(name = "suspended_at")
    public Instant suspendedAt;

    @Column(name = "suspended_by")
    public String suspendedBy;

    @Column(name = "suspension_reason")
    public String suspensionReason;

    Organisation toOrganisation() {
        return new Organisation(id, name, subjectHash, subject, publicKey, kid, status, registeredAt, approvedAt,
                suspendedAt == null ? null : new Organisation.Suspension(suspendedAt, suspendedBy, suspensionReason));
    }
}
