package org.vitalvault.vault.storage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.vitalvault.store.CompactionRows;
import org.vitalvault.store.VaultEpoch;
import org.vitalvault.vault.keys.OwnerKeyring;

/**
 * Pass 4: after a KEK rotation the vault epochs' wrapped data keys are dropped (reads then derive
 * them through HPKE); this derives them again with the owner's private key and wraps them under the
 * current KEK, a few owners a pass, so reads are back to no X25519 per owner.
 */
@ApplicationScoped
public class RewrapEpochKeys {

    private static final Logger LOG = Logger.getLogger(RewrapEpochKeys.class);

    @Inject
    CompactionTransactions transactions;

    @Inject
    OwnerKeyring keyring;

    /** Wraps again the vault epoch keys of at most {@code maxOwners} owners; returns how many owners' were. */
    public int run(int maxOwners, Instant now) throws SQLException {
        String kekId = keyring.kekId();
        List<UUID> owners = transactions.read(c -> CompactionRows.ownersWithEpochKeyNotUnder(c, kekId, maxOwners));
        int rewrapped = 0;
        for (UUID owner : owners) {
            try (OwnerKeyring.Session keys = keyring.open(owner)) {
                rewrapped += transactions.inTransaction(c -> {
                    Optional<OwnerKeyring.CurrentKey> current = keyring.currentKey(c, owner);
                    if (current.isEmpty()) {
                        return 0;
                    }
                    // Finding the epoch wraps its key again when it is not under the current KEK.
                    VaultEpoch.current(c, keys, owner, current.get().keyVersion(), current.get().publicKey(), now);
                    return 1;
                });
            } catch (SQLException | RuntimeException e) {
                LOG.warnf("vault epoch key of owner %s not wrapped again (%s)", owner, e.getClass().getSimpleName());
            }
        }
        return rewrapped;
    }
}
