package org.vitalvault.vault.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import org.vitalvault.crypto.BatchSealer;
import org.vitalvault.crypto.EpochKey;
import org.vitalvault.vault.keys.OwnerKeyring;

/**
 * A sealing epoch the vault opens for an owner when it writes compacted hours: the same HPKE export
 * scheme as the gateway's, so one code path opens both, and always to the owner's current key
 * version, which is how compaction re-seals old data after a key rotation.
 */
public record VaultEpoch(UUID ownerId, UUID epochId, int keyVersion, byte[] enc, BatchSealer sealer) {

    /** A fresh epoch to the owner's current public key. */
    public static VaultEpoch open(UUID ownerId, OwnerKeyring.CurrentKey key) {
        UUID epochId = UUID.randomUUID();
        EpochKey epochKey = EpochKey.create(key.publicKey(), ownerId, epochId);
        return new VaultEpoch(ownerId, epochId, key.keyVersion(), epochKey.enc(), new BatchSealer(epochKey.dataKey()));
    }

    /** Stores the epoch; idempotent, so every transaction that uses it can make sure it exists. */
    public void store(Connection c, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                insert into seal_epoch (owner_id, epoch_id, key_version, enc, created_at)
                values (?, ?, ?, ?, ?) on conflict do nothing
                """)) {
            ps.setObject(1, ownerId);
            ps.setObject(2, epochId);
            ps.setInt(3, keyVersion);
            ps.setBytes(4, enc);
            ps.setTimestamp(5, Timestamp.from(now));
            ps.executeUpdate();
        }
    }
}
