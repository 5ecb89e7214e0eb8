package org.vitalvault.vault.keys;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;

/**
 * Data a feature seals to the owner's current public key outside the sealed store (device names):
 * an owner-key rotation calls every implementation inside the rotating transaction, so nothing of
 * the feature is left sealed to the retired pair, which compaction then destroys. Declared here and
 * implemented by the feature, so the keys package needs no feature package.
 */
public interface SealedToOwnerKey {

    /**
     * Re-seals the owner's data to {@code newVersion} ({@code newPublicKey}); {@code keys} opens any
     * older version. Runs on {@code c}, the rotation's transaction, with the owner's row locked.
     */
    void reseal(Connection c, UUID ownerId, OwnerKeyring.Session keys, int newVersion, byte[] newPublicKey)
            throws SQLException;
}
