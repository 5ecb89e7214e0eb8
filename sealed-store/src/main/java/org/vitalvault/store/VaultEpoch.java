package org.vitalvault.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import org.vitalvault.crypto.BatchSealer;
import org.vitalvault.crypto.EpochKey;

/**
 * The sealing epoch the vault writes an owner's compacted hours and days under: the same HPKE
 * export scheme as the gateway's, so one code path opens both, and always to the owner's current
 * key version, which is how compaction re-seals old data after a key rotation. There is one per
 * owner and key version ({@code vault_epoch}), reused by every pass and replica, so a read of weeks
 * of an owner's data derives one data key, not one per compaction pass (docs/decisions/016).
 */
public record VaultEpoch(UUID ownerId, UUID epochId, int keyVersion, byte[] enc, BatchSealer sealer) {

    /**
     * The owner's vault epoch for its current key version, created (and stored, in this
     * transaction) if there is none yet. When two replicas create one at once, the first to commit
     * wins and the other uses it; its own stays unreferenced and is removed with other such epochs.
     */
    public static VaultEpoch current(Connection c, EpochKeys keys, UUID ownerId, int keyVersion, byte[] publicKey,
                                     Instant now) throws SQLException {
        VaultEpoch existing = find(c, keys, ownerId, keyVersion);
        if (existing != null) {
            return existing;
        }
        UUID epochId = UUID.randomUUID();
        EpochKey epochKey = EpochKey.create(publicKey, ownerId, epochId);
        VaultEpoch fresh = new VaultEpoch(ownerId, epochId, keyVersion, epochKey.enc(),
                new BatchSealer(epochKey.dataKey()));
        fresh.store(c, now);
        try (PreparedStatement ps = c.prepareStatement("""
                insert into vault_epoch (owner_id, key_version, epoch_id, wrapped_data_key, kek_id)
                values (?, ?, ?, ?, ?) on conflict do nothing
                """)) {
            ps.setObject(1, ownerId);
            ps.setInt(2, keyVersion);
            ps.setObject(3, epochId);
            ps.setBytes(4, keys.wrapEpochKey(epochId, epochKey.dataKey()));
            ps.setString(5, keys.kekId());
            if (ps.executeUpdate() == 1) {
                return fresh;
            }
        }
        VaultEpoch winner = find(c, keys, ownerId, keyVersion);
        if (winner == null) {
            throw new IllegalStateException("the vault epoch of owner " + ownerId + " vanished while it was created");
        }
        return winner;
    }

    /** The owner's vault epoch of {@code keyVersion}, its data key wrapped again if not under the current KEK. */
    private static VaultEpoch find(Connection c, EpochKeys keys, UUID ownerId, int keyVersion)
            throws SQLException {
        UUID epochId;
        byte[] enc;
        byte[] wrapped;
        String kekId;
        try (PreparedStatement ps = c.prepareStatement("""
                select v.epoch_id, e.enc, v.wrapped_data_key, v.kek_id from vault_epoch v
                  join seal_epoch e on e.owner_id = v.owner_id and e.epoch_id = v.epoch_id
                 where v.owner_id = ? and v.key_version = ?
                """)) {
            ps.setObject(1, ownerId);
            ps.setInt(2, keyVersion);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                epochId = rs.getObject(1, UUID.class);
                enc = rs.getBytes(2);
                wrapped = rs.getBytes(3);
                kekId = rs.getString(4);
            }
        }
        byte[] dataKey = keys.vaultDataKey(epochId, keyVersion, enc, wrapped, kekId);
        if (wrapped == null || !keys.kekId().equals(kekId)) {
            try (PreparedStatement ps = c.prepareStatement("""
                    update vault_epoch set wrapped_data_key = ?, kek_id = ?
                     where owner_id = ? and key_version = ? and epoch_id = ?
                    """)) {
                ps.setBytes(1, keys.wrapEpochKey(epochId, dataKey));
                ps.setString(2, keys.kekId());
                ps.setObject(3, ownerId);
                ps.setInt(4, keyVersion);
                ps.setObject(5, epochId);
                ps.executeUpdate();
            }
        }
        return new VaultEpoch(ownerId, epochId, keyVersion, enc, new BatchSealer(dataKey));
    }

    /**
     * After a KEK rotation: forgets every vault epoch data key not wrapped by KEK {@code kekId} (reads
     * then derive it through HPKE until compaction wraps it again). Returns how many were dropped.
     */
    public static int dropWrappedKeysNotUnder(Connection c, String kekId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                update vault_epoch set wrapped_data_key = null, kek_id = null
                 where wrapped_data_key is not null and kek_id is distinct from ?
                """)) {
            ps.setString(1, kekId);
            return ps.executeUpdate();
        }
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
