package org.vitalvault.vault.device;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.vitalvault.crypto.DeviceNameSeal;
import org.vitalvault.vault.keys.OwnerKeyring;
import org.vitalvault.vault.keys.SealedToOwnerKey;

/**
 * Device names, sealed to the owner's current X25519 key ({@link DeviceNameSeal}): a dump shows
 * ciphertext and the key version, the owner sees the name (docs/decisions/037). Rows from before
 * V14 hold the plaintext until the start-up backfill ({@link #sealPlaintextNames}) or the owner's next
 * key rotation seals it.
 *
 * <p>Pairing and rotation serialise on the owner's row (pairing takes it FOR SHARE, rotation FOR
 * UPDATE): a name is never sealed to a version that a concurrent rotation has just retired and
 * would not re-seal.
 *
 * <p>JDBC because it works on the caller's connection inside the pairing's and rotation's transactions.
 */
@ApplicationScoped
public class DeviceNames implements SealedToOwnerKey {

    @Inject
    OwnerKeyring keyring;

    @Inject
    AgroalDataSource dataSource;

    /** A name as stored: sealed bytes and the owner-key version they are sealed to. */
    public record Sealed(byte[] sealed, int keyVersion) {
    }

    /** Seals a new device's name to the owner's current key; call inside the pairing's transaction. */
    public Sealed seal(UUID ownerId, UUID deviceId, String name) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement lock = c.prepareStatement("select 1 from owner where owner_id = ? for share")) {
                lock.setObject(1, ownerId);
                lock.executeQuery().close();
            }
            OwnerKeyring.CurrentKey key = keyring.currentKey(c, ownerId)
                    .orElseThrow(() -> new IllegalStateException("owner " + ownerId + " has no current key"));
            return new Sealed(DeviceNameSeal.seal(key.publicKey(), ownerId, deviceId, name), key.keyVersion());
        }
    }

    /** The name of a device as the owner sees it: opened with {@code keys}, or a not yet sealed plaintext. */
    public static String name(OwnerKeyring.Session keys, UUID deviceId, String plaintext, byte[] sealed, Integer keyVersion) {
        if (sealed == null) {
            return plaintext;
        }
        return keys.deviceName(deviceId, keyVersion, sealed);
    }

    @Override
    public void reseal(Connection c, UUID ownerId, OwnerKeyring.Session keys, int newVersion, byte[] newPublicKey)
            throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "select device_id, name, name_sealed, name_key_version from device where owner_id = ? for update")) {
            ps.setObject(1, ownerId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int version = rs.getInt(4);
                    Integer keyVersion = rs.wasNull() ? null : version;
                    if (keyVersion == null || keyVersion != newVersion) {
                        UUID device = rs.getObject(1, UUID.class);
                        rows.add(new Object[] {device, name(keys, device, rs.getString(2), rs.getBytes(3), keyVersion)});
                    }
                }
            }
        }
        update(c, ownerId, newVersion, newPublicKey, rows);
    }

    /**
     * Upgrade from before V14: seals up to {@code limit} plaintext names (of any owners) to their
     * owners' current keys and drops the plaintext, on {@code c}. Rows another transaction holds are
     * skipped. Returns how many it sealed (0 when none is left).
     */
    public int sealPlaintextNames(Connection c, int limit) throws SQLException {
        List<UUID[]> candidates = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "select owner_id, device_id from device where name is not null order by owner_id, device_id limit ?")) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    candidates.add(new UUID[] {rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)});
                }
            }
        }
        int sealed = 0;
        for (UUID[] candidate : candidates) {
            UUID owner = candidate[0];
            // The owner's row first, as pairing and rotation lock it: a rotation cannot retire the key meanwhile.
            try (PreparedStatement lock = c.prepareStatement("select 1 from owner where owner_id = ? for share")) {
                lock.setObject(1, owner);
                lock.executeQuery().close();
            }
            String name = null;
            try (PreparedStatement ps = c.prepareStatement("select name from device where owner_id = ? and device_id = ?"
                    + " and name is not null for update skip locked")) {
                ps.setObject(1, owner);
                ps.setObject(2, candidate[1]);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        name = rs.getString(1);
                    }
                }
            }
            var key = keyring.currentKey(c, owner);
            if (name == null || key.isEmpty()) {
                continue;   // sealed meanwhile, or an owner without keys being erased (the row goes with them)
            }
            List<Object[]> one = new ArrayList<>();
            one.add(new Object[] {candidate[1], name});
            update(c, owner, key.get().keyVersion(), key.get().publicKey(), one);
            sealed++;
        }
        return sealed;
    }

    private static void update(Connection c, UUID ownerId, int version, byte[] publicKey, List<Object[]> rows)
            throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement up = c.prepareStatement("""
                update device set name_sealed = ?, name_key_version = ?, name = null where owner_id = ? and device_id = ?
                """)) {
            for (Object[] row : rows) {
                UUID device = (UUID) row[0];
                up.setBytes(1, DeviceNameSeal.seal(publicKey, ownerId, device, (String) row[1]));
                up.setInt(2, version);
                up.setObject(3, ownerId);
                up.setObject(4, device);
                up.addBatch();
            }
            up.executeBatch();
        }
    }
}
