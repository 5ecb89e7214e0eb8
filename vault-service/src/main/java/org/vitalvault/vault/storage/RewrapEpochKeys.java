package org.vitalvault.vault.storage;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.vitalvault.store.CompactionRows;
import org.vitalvault.store.VaultEpoch;
import org.vitalvault.vault.audit.AuditKind;
import org.vitalvault.vault.audit.AuditLog;
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

    @Inject
    AuditLog audit;

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
        if (rewrapped > 0) {
            logPass(kekId, rewrapped);
        }
        return rewrapped;
    }

    /**
     * One deployment entry per pass that wrapped something again (not one per owner: a KEK rotation
     * would otherwise add an entry per owner): the KEK and how many owners' epoch keys. Its own
     * transaction after the pass: each owner's re-wrap commits alone, so that one owner's failure
     * undoes nobody else's. A crash between the last owner's commit and this entry loses the pass's
     * entry; the re-wrap changes no data and no right (the same data keys, wrapped again under the
     * KEK whose rotation is logged as KEK_ROTATED).
     */
    private void logPass(String kekId, int owners) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("kekId", kekId);
        details.put("owners", owners);
        // A failure here fails the compaction run (logged by CompactionJob), not silently.
        QuarkusTransaction.requiringNew().run(() -> audit.deployment(AuditKind.EPOCH_KEYS_REWRAPPED, details));
    }
}
