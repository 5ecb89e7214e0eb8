package org.vitalvault.vault.researcher;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code researcher_key}: one request-signing key an organisation has had, current while
 * {@code retiredAt} is null. Only {@link ResearcherStore} reads and writes it. Kept after retirement
 * so that what the key signed (a lease request a lease document names by {@code kid}) stays
 * verifiable.
 */
@Entity
@Table(name = "researcher_key")
@IdClass(ResearcherKey.Key.class)
public class ResearcherKey extends PanacheEntityBase {

    @Id
    @Column(name = "org_id")
    public UUID orgId;

    @Id
    @Column(name = "kid")
    public String kid;

    @Column(name = "public_key", nullable = false)
    public byte[] publicKey;

    @Column(name = "valid_from", nullable = false)
    public Instant validFrom;

    @Column(name = "retired_at")
    public Instant retiredAt;

    /** The rotation that made this key current, a JWS signed by the key before it; null for the registered key. */
    @Column(name = "rotation_jws")
    public String rotationJws;

    static ResearcherKey current(UUID org, byte[] publicKey, Instant from) {
        ResearcherKey row = new ResearcherKey();
        row.orgId = org;
        row.kid = ResearcherKeys.kid(publicKey);
        row.publicKey = publicKey.clone();
        row.validFrom = from;
        return row;
    }

    /** Composite key (organisation, kid). */
    public record Key(UUID orgId, String kid) implements Serializable {
        public Key() {
            this(null, null);
        }
    }
}
