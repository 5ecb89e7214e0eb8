package org.vitalvault.vault.coop;

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
import org.vitalvault.policy.consent.CoopMembership;
import org.vitalvault.vault.consent.TermsFields;

/**
 * A row of {@code coop_membership}: only {@link CoopStore} reads and writes it. Leaving sets
 * {@code leftAt}; joining again is a new row (the key holds {@code joinedAt}).
 */
@Entity
@Table(name = "coop_membership")
@IdClass(MembershipRow.Key.class)
public class MembershipRow extends PanacheEntityBase {

    @Id
    @Column(name = "owner_id")
    public UUID ownerId;

    @Id
    @Column(name = "coop_id")
    public UUID coopId;

    @Id
    @Column(name = "joined_at")
    public Instant joinedAt;

    @Column(name = "left_at")
    public Instant leftAt;

    /** The member's own terms, or null to take the co-op's as they are. */
    @Embedded
    public TermsFields ownTerms;

    static MembershipRow of(CoopMembership m) {
        MembershipRow row = new MembershipRow();
        row.ownerId = m.owner();
        row.coopId = m.coop();
        row.joinedAt = m.joinedAt();
        row.leftAt = m.leftAt();
        row.ownTerms = TermsFields.of(m.ownTerms());
        return row;
    }

    CoopMembership toMembership() {
        return new CoopMembership(ownerId, coopId, joinedAt, leftAt, TermsFields.toTerms(ownTerms));
    }

    /** Composite key (owner, co-op, joined at). */
    public record Key(UUID ownerId, UUID coopId, Instant joinedAt) implements Serializable {
        public Key() {
            this(null, null, null);
        }
    }
}
