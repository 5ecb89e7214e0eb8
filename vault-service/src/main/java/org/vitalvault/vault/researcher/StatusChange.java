package org.vitalvault.vault.researcher;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.vitalvault.vault.auth.Organisation;

/**
 * A row of {@code researcher_org_status_change}: one suspension or reinstatement, by which operator,
 * when and why. Appended only, by {@link ResearcherStore}.
 */
@Entity
@Table(name = "researcher_org_status_change")
public class StatusChange extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "change_id")
    public Long id;

    @Column(name = "org_id", nullable = false)
    public UUID orgId;

    /** The status the change set. */
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Organisation.Status status;

    @Column(nullable = false)
    public String reason;

    /** The operator's token subject. */
    @Column(name = "changed_by", nullable = false)
    public String changedBy;

    @Column(name = "changed_at", nullable = false)
    public Instant changedAt;
}
