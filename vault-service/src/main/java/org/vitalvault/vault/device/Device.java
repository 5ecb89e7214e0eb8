package org.vitalvault.vault.device;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A sensor paired to an owner. Its topic, readings/{deviceId}, carries no owner identity. */
@Entity
@Table(name = "device")
@IdClass(Device.Key.class)
public class Device extends PanacheEntityBase {

    @Id
    @Column(name = "owner_id")
    public UUID ownerId;

    @Id
    @Column(name = "device_id")
    public UUID deviceId;

    /** Plaintext name of a row from before V14 not yet sealed by the start-up backfill; null otherwise. */
    @Column
    public String name;

    /** The name sealed to the owner's key version {@link #nameKeyVersion} ({@link DeviceNames}). */
    @Column(name = "name_sealed")
    public byte[] nameSealed;

    @Column(name = "name_key_version")
    public Integer nameKeyVersion;

    @Column(name = "credential_hash", nullable = false)
    public byte[] credentialHash;

    @Column(name = "mac_key")
    public byte[] macKey;

    @Column(name = "mac_required", nullable = false)
    public boolean macRequired;

    @Column(name = "paired_at", nullable = false)
    public Instant pairedAt;

    @Column(name = "unpaired_at")
    public Instant unpairedAt;

    /** Received time of the newest of its readings the vault has compacted (lags by one compaction pass). */
    @Column(name = "last_seen_at")
    public Instant lastSeenAt;

    public static List<Device> ofOwner(UUID ownerId) {
        return list("ownerId = ?1 order by pairedAt", ownerId);
    }

    /** Composite key (owner, device). */
    public record Key(UUID ownerId, UUID deviceId) implements Serializable {
        public Key() {
            this(null, null);
        }
    }
}
