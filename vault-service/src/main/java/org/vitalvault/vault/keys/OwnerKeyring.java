package org.vitalvault.vault.keys;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.vitalvault.crypto.EpochKey;
import org.vitalvault.crypto.MasterKey;
import org.vitalvault.crypto.X25519KeyPair;

/**
 * Creates owners' key pairs and, for the vault's own reads, re-derives the data keys the gateway
 * sealed with. Private keys exist unwrapped only inside one {@link Session}, never in a field that
 * outlives a request, never in a log line or a response.
 */
@ApplicationScoped
public class OwnerKeyring {

    private final SecureRandom random = new SecureRandom();

    @Inject
    MasterKey masterKey;

    @Inject
    Clock clock;

    /** Generates and stores version 1 of a new owner's key pair. Call inside the owner's creating transaction. */
    public void createFirstKey(UUID ownerId) {
        X25519KeyPair pair = X25519KeyPair.generate(random);
        OwnerKey key = new OwnerKey();
        key.ownerId = ownerId;
        key.keyVersion = 1;
        key.publicKey = pair.publicKey();
        key.wrappedPrivateKey = masterKey.wrap(pair.privateKey(), ownerId, 1);
        key.kekId = masterKey.kekId();
        key.createdAt = clock.instant();
        key.persist();
        Arrays.fill(pair.privateKey(), (byte) 0);
    }

    /** Opens a session for reading one owner's sealed data. */
    public Session open(UUID ownerId) {
        return new Session(ownerId);
    }

    /** Unwrapped keys for one owner, cached for the duration of one read. */
    public final class Session implements AutoCloseable {
        private final UUID ownerId;
        private final Map<Integer, byte[]> privateKeys = new HashMap<>();
        private final Map<UUID, byte[]> dataKeys = new HashMap<>();

        private Session(UUID ownerId) {
            this.ownerId = ownerId;
        }

        /** The data key of one sealing epoch, re-derived from its HPKE encapsulation. */
        public byte[] dataKey(UUID epochId, int keyVersion, byte[] enc) {
            return dataKeys.computeIfAbsent(epochId,
                    id -> EpochKey.recover(privateKey(keyVersion), enc, ownerId, id));
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
                OwnerKey key = OwnerKey.findById(new OwnerKey.Id(ownerId, v));
                if (key == null) {
                    throw new IllegalStateException("owner key version " + v + " is missing");
                }
                return masterKey.unwrap(key.wrappedPrivateKey, ownerId, v);
            });
        }
    }
}
