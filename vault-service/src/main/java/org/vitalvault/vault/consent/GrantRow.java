package org.vitalvault.vault.consent;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;
import org.vitalvault.policy.consent.Audience;
import org.vitalvault.policy.consent.ConsentGrant;
import org.vitalvault.policy.consent.Purpose;

/**
 * A row of {@code consent_grant}: only {@link GrantStore} writes it (the lease decision's population
 * read, {@link ConsentStore}, reads the table with JDBC). Exactly one audience column is set.
 */
@Entity
@Table(name = "consent_grant")
@IdClass(GrantRow.Key.class)
public class GrantRow extends PanacheEntityBase {

    @Id
    @Column(name = "owner_id")
    public UUID ownerId;

    @Id
    @Column(name = "grant_id")
    public UUID grantId;

    /** The one organisation the grant is to, or null when it is to any researcher for a purpose. */
    @Column(name = "audience_researcher")
    public UUID audienceResearcher;

    /** {@link Purpose#name()} when the grant is to any researcher for it, else null. */
    @Column(name = "audience_purpose")
    public String audiencePurpose;

    @Embedded
    public TermsFields terms;

    /** 1 at creation, one more per amendment; receipts name the version they attest. */
    @Column(nullable = false)
    public int version;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "amended_at")
    public Instant amendedAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    static GrantRow of(ConsentGrant g, Instant createdAt) {
        GrantRow row = new GrantRow();
        row.ownerId = g.owner();
        row.grantId = g.id();
        row.audienceResearcher = g.audience() instanceof Audience.Researcher r ? r.organisation() : null;
        row.audiencePurpose = g.audience() instanceof Audience.AnyResearcherFor p ? p.purpose().name() : null;
        row.terms = TermsFields.of(g.terms());
        row.version = 1;
        row.createdAt = createdAt;
        return row;
    }

    GrantStore.StoredGrant toStored() {
        Audience audience = audienceResearcher != null ? new Audience.Researcher(audienceResearcher)
                : new Audience.AnyResearcherFor(Purpose.ofCode(audiencePurpose));
        ConsentGrant grant = new ConsentGrant(grantId, ownerId, audience, TermsFields.toTerms(terms), revokedAt);
        return new GrantStore.StoredGrant(grant, version, createdAt, amendedAt);
    }

    /** Composite key (owner, grant). */
    public record Key(UUID ownerId, UUID grantId) implements Serializable {
        public Key() {
            this(null, null);
        }
    }
}
