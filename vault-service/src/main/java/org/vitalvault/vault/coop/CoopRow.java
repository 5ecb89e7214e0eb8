package org.vitalvault.vault.coop;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.vitalvault.policy.consent.CoopTerms;
import org.vitalvault.vault.consent.TermsFields;

/** A row of {@code coop}: only {@link CoopStore} reads and writes it. Its terms never change. */
@Entity
@Table(name = "coop")
public class CoopRow extends PanacheEntityBase {

    @Id
    @Column(name = "coop_id")
    public UUID id;

    @Column(nullable = false)
    public String name;

    /** The owner who founded it; null once that owner is erased. */
    @Column(name = "founder_owner_id")
    public UUID founderOwnerId;

    @Embedded
    public TermsFields terms;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    StoredCoop toStored() {
        return new StoredCoop(id, name, new CoopTerms(id, TermsFields.toTerms(terms)), createdAt);
    }
}
