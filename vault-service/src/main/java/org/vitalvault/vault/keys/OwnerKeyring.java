package org.vitalvault.vault.keys;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.time.Clock;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.vitalvault.crypto.DeviceNameSeal;
import org.vitalvault.crypto.EpochKey;
import org.vitalvault.crypto.MasterKey;
import org.vitalvault.crypto.X25519KeyPair;
import org.vitalvault.store.EpochKeys;

/**
 * Creates owners' key pairs and, for the vault's own reads, re-derives the data keys the gateway
 * sealed with. Private keys exist unwrapped only inside one {@link Session}, never in a field that
 * outlives a request, never in a log line or a response.
 *
 * <p>JDBC because it works on the caller's connection inside compaction's and rotation's own
 * transactions, next to the sealed store.
 */
@ApplicationScoped
public class OwnerKeyring {

    private final SecureRandom random = new SecureRandom();

    @Inject
    MasterKey masterKey;

    @Inject
    Clock clock;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Instance<SealedToOwnerKey> sealedToOwnerKey;

    /** Generates and stores version 1 of a new owner's key pair. Call inside the owner's creating transaction. */
    public void createFirstKey(UUID ownerId) {
        X25519KeyPair pair = X25519KeyPair.generate(random);
        OwnerKey key = new OwnerKey();
        key.ownerId = ownerId;
        key.keyVersion = 1;
        key.publicKey = pair.publicKey();
        byte[] privateKey = pair.privateKey();
        key.wrappedPrivateKey = masterKey.wrap(privateKey, ownerId, 1);
        key.kekId = masterKey.kekId();
        key.createdAt = clock.instant();
        key.persist();
        Arrays.fill(privateKey, (byte) 0);
    }

    /** Opens a session for reading one owner's sealed data. */
    public Session open(UUID ownerId) {
        return new Session(ownerId);
    }

    /**
     * Sessions for many owners at once, every key version of theirs unwrapped from one query on
     * {@code c} (a cohort read: one round trip instead of one per owner). The caller closes each.
     */
    public Map<UUID, Session> openAll(Connection c, Collection<UUID> owners) throws SQLException {
        Map<UUID, Session> sessions = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "select owner_id, key_version, wrapped_private_key from owner_key where owner_id = any(?)")) {
            ps.setArray(1, c.createArrayOf("uuid", owners.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    UUID owner = rs.getObject(1, UUID.class);
                    int version = rs.getInt(2);
                    sessions.computeIfAbsent(owner, Session::new).privateKeys
                            .put(version, masterKey.unwrap(rs.getBytes(3), owner, version));
                }
            }
        } catch (SQLException | RuntimeException e) {
            sessions.values().forEach(Session::close);
            throw e;
        }
        for (UUID owner : owners) {
            // An owner without keys (erased meanwhile) gets a session that fails on first use.
            sessions.computeIfAbsent(owner, Session::new);
        }
        return sessions;
    }

    /** Unwrapped keys for one owner, cached for the duration of one read. */
    public final class Session implements EpochKeys, AutoCloseable {
        private final UUID ownerId;
        private final Map<Integer, byte[]> privateKeys = new HashMap<>();
        private final Map<UUID, byte[]> dataKeys = new HashMap<>();

        private Session(UUID ownerId) {
            this.ownerId = ownerId;
        }

        /** The data key of one sealing epoch, re-derived from its HPKE encapsulation. */
        @Override
        public byte[] dataKey(UUID epochId, int keyVersion, byte[] enc) {
            return dataKeys.computeIfAbsent(epochId,
                    id -> EpochKey.recover(privateKey(keyVersion), enc, ownerId, id));
        }

        /**
         * The data key of one of the vault's own epochs: unwrapped with the KEK when
         * {@code wrapped} is under the current KEK (no X25519), else re-derived like {@link #dataKey}.
         */
        @Override
        public byte[] vaultDataKey(UUID epochId, int keyVersion, byte[] enc, byte[] wrapped, String kekId) {
            if (wrapped == null || !masterKey.kekId().equals(kekId)) {
                return dataKey(epochId, keyVersion, enc);
            }
            return dataKeys.computeIfAbsent(epochId, id -> masterKey.unwrapEpochKey(wrapped, ownerId, id));
        }

        /** One of the owner's epoch data keys wrapped by the current KEK, whose id is {@link #kekId()}. */
        @Override
        public byte[] wrapEpochKey(UUID epochId, byte[] dataKey) {
            return masterKey.wrapEpochKey(dataKey, ownerId, epochId);
        }

        @Override
        public String kekId() {
            return masterKey.kekId();
        }

        /**
         * A device's name sealed to key version {@code keyVersion} of this owner (DeviceNameSeal).
         *
         * @throws MissingOwnerKeyException if that version no longer exists
         */
        public String deviceName(UUID deviceId, int keyVersion, byte[] sealed) {
            return DeviceNameSeal.open(privateKey(keyVersion), sealed, ownerId, deviceId);
        }

        /** Overwrites every unwrapped key this session held. */
        @Override
        public void close() {
            privateKeys.values().forEach(k -> Arrays.fill(k, (byte) 0));
            dataKeys.values().forEach(k -> Arrays.fill(k, (byte) 0));
            privateKeys.clear();
            dataKeys.clear();
        }

        private byte[] privateKey(int keyVersion) {
            return privateKeys.computeIfAbsent(keyVersion, v -> {
                // Plain JDBC, not Panache: sessions are opened by background compaction too,
                // outside any request or ORM context.
                try (Connection c = dataSource.getConnection();
                     PreparedStatement ps = c.prepareStatement(
                             "select wrapped_private_key from owner_key where owner_id = ? and key_version = ?")) {
                    ps.setObject(1, ownerId);
                    ps.setInt(2, v);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            throw new MissingOwnerKeyException(ownerId, v);
                        }
                        return masterKey.unwrap(rs.getBytes(1), ownerId, v);
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException("loading owner key failed: SQLState " + e.getSQLState(), e);
                }
            });
        }
    }

    /** The id of the KEK that wraps keys now. */
    public String kekId() {
        return masterKey.kekId();
    }

    /** The key version new data is sealed to: the newest one not retired. */
    public record CurrentKey(int keyVersion, byte[] publicKey) {
    }

    /** The owner's current public key, or empty when the owner has none (erased). */
    public Optional<CurrentKey> currentKey(Connection c, UUID ownerId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                select key_version, public_key from owner_key
                 where owner_id = ? and retired_at is null order by key_version desc limit 1
                """)) {
            ps.setObject(1, ownerId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new CurrentKey(rs.getInt(1), rs.getBytes(2))) : Optional.empty();
            }
        }
    }

    /**
     * Owner key rotation: a new key pair becomes current (new data is sealed to it once gateways
     * refresh their device cache), the previous current version is retired. Compaction then
     * re-seals the old data under the new key and destroys the retired pair when nothing refers to
     * it any more. Returns the new version.
     */
    public int rotate(Connection c, UUID ownerId) throws SQLException {
        int next;
        try (PreparedStatement ps = c.prepareStatement(
                "select coalesce(max(key_version), 0) + 1 from owner_key where owner_id = ?")) {
            ps.setObject(1, ownerId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                next = rs.getInt(1);
            }
        }
        Instant now = clock.instant();
        try (PreparedStatement ps = c.prepareStatement(
                "update owner_key set retired_at = ? where owner_id = ? and retired_at is null")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setObject(2, ownerId);
            ps.executeUpdate();
        }
        X25519KeyPair pair = X25519KeyPair.generate(random);
        byte[] privateKey = pair.privateKey();
        try (PreparedStatement ps = c.prepareStatement("""
                insert into owner_key (owner_id, key_version, public_key, wrapped_private_key, kek_id, created_at)
                values (?, ?, ?, ?, ?, ?)
                """)) {
            ps.setObject(1, ownerId);
            ps.setInt(2, next);
            ps.setBytes(3, pair.publicKey());
            ps.setBytes(4, masterKey.wrap(privateKey, ownerId, next));
            ps.setString(5, masterKey.kekId());
            ps.setTimestamp(6, Timestamp.from(now));
            ps.executeUpdate();
        } finally {
            Arrays.fill(privateKey, (byte) 0);
        }
        // What features sealed to the retired pair moves to the new one now, in this transaction.
        try (Session keys = open(ownerId)) {
            for (SealedToOwnerKey sealed : sealedToOwnerKey) {
                sealed.reseal(c, ownerId, keys, next, pair.publicKey());
            }
        }
        return next;
    }

    /** A sealed row refers to a key version that no longer exists (destroyed, or the owner erased). */
    public static final class MissingOwnerKeyException extends IllegalStateException {
        public MissingOwnerKeyException(UUID ownerId, int keyVersion) {
            super("owner key version " + keyVersion + " of owner " + ownerId + " does not exist");
        }
    }
}
