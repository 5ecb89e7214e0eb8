package org.vitalvault.vault.keys;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;

/** One version of an owner's X25519 key pair; the private half only ever stored wrapped by the KEK. */
@Entity
@Table(name = "owner_key")
@IdClass(OwnerKey.Id.class)
public class OwnerKey extends PanacheEntityBase {

    @jakarta.persistence.Id
    @Column(name = "owner_id")
    public UUID ownerId;

    @jakarta.persistence.Id
    @Column(name = "key_version")
    public int keyVersion;

    @Column(name = "public_key", nullable = false)
    public byte[] publicKey;

    @Column(name = "wrapped_private_key", nullable = false)
    public byte[] wrappedPrivateKey;

    @Column(name = "kek_id", nullable = false)
    public String kekId;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "retired_at")
    public Instant retiredAt;

    /** Composite key (owner, version). */
    public record Id(UUID ownerId, int keyVersion) implements Serializable {
        public Id() {
            this(null, 0);
        }
    }
}
