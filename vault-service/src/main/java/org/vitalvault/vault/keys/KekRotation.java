package org.vitalvault.vault.keys;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.vitalvault.crypto.MasterKey;
import org.vitalvault.crypto.SealBrokenException;
import org.vitalvault.store.VaultEpoch;
import org.vitalvault.vault.audit.AuditKind;
import org.vitalvault.vault.audit.AuditLog;
import org.vitalvault.vault.auth.VaultSecrets;
import org.vitalvault.vault.config.VaultConfig;

/**
 * KEK rotation: re-wraps every owner private key still wrapped by the previous master key under
 * the current one, so the previous key can then be destroyed. Only {@code owner_key} changes
 * ({@code wrapped_private_key} and {@code kek_id}), and the vault's own secrets in {@code vault_secret}
 * (decision 037, re-wrapped first); sealed data is never touched, because it is
 * sealed to the owners' X25519 keys, which stay the same. Vault epoch data keys wrapped by another
 * KEK ({@code vault_epoch}) are dropped, not re-wrapped: compaction wraps them again.
 *
 * <p>Procedure (docs/decisions/009): make the new key the KEK ({@code vitalvault.kek.file} or
 * {@code VITALVAULT_KEK_BASE64}), give the old one as {@code vitalvault.kek.previous-file} or
 * {@code VITALVAULT_KEK_PREVIOUS_BASE64}, restart: the job runs at start-up (or on {@code POST
 * /operator/kek/rewrap}).
 *
 * <p>Guarantees: before changing anything, every row's {@code kek_id} is checked; if any row is
 * wrapped by a KEK that is neither the current nor the configured previous one, the job refuses
 * with {@link UnknownKekException} and changes nothing. Rows already under the current KEK are left
 * alone, so the job is idempotent. Rows are re-wrapped in batches, one transaction each, locked
 * with {@code FOR UPDATE SKIP LOCKED} so that several replicas and a concurrent erasure do not
 * block one another; each unwrapped private key is overwritten right after re-wrapping. Only
 * counts and kek ids are reported or logged, never a key. Limits: a batch that fails rolls back
 * alone (the batches before it stay re-wrapped, which is correct and resumable by running again);
 * rows locked by another transaction during the run are reported as {@code remaining}.
 *
 * <p>JDBC because it re-wraps owner keys in batches, one transaction per batch.
 */
@ApplicationScoped
public class KekRotation {

    private static final Logger LOG = Logger.getLogger(KekRotation.class);

    private static final String COUNT_BY_KEK = "select kek_id, count(*) from owner_key group by kek_id order by kek_id";
    private static final String SELECT_BATCH = """
            select owner_id, key_version, wrapped_private_key, kek_id from owner_key
             where kek_id <> ? order by owner_id, key_version limit ? for update skip locked
            """;
    private static final String UPDATE = """
            update owner_key set wrapped_private_key = ?, kek_id = ?
             where owner_id = ? and key_version = ? and kek_id = ?
            """;

    @Inject
    MasterKey masterKey;

    @Inject
    VaultConfig config;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    VaultSecrets vaultSecrets;

    @Inject
    AuditLog audit;

    private Optional<MasterKey> previous = Optional.empty();

    /** What one run did; counts of owner keys (rows of owner_key) and kek ids only. */
    public record Report(String kekId, String previousKekId, int rewrapped, long alreadyCurrent, long remaining) {
    }

    /** Some owner keys are wrapped by a KEK this process does not have; nothing was changed. */
    public static final class UnknownKekException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        UnknownKekException(String message) {
            super(message);
        }
    }

    @PostConstruct
    void init() {
        if (config.kek().rewrapBatchSize() < 1) {
            throw new IllegalStateException("vitalvault.kek.rewrap-batch-size must be at least 1");
        }
        previous = MasterKeyProducer.previousKek(config.kek());
        if (previous.isPresent() && previous.get().kekId().equals(masterKey.kekId())) {
            throw new IllegalStateException("the previous KEK is the current KEK (kek id " + masterKey.kekId()
                    + "); remove vitalvault.kek.previous-file / previous-base64 or set the new KEK");
        }
    }

    void onStart(@Observes StartupEvent event) {
        if (previous.isPresent() && config.kek().rewrapAtStart()) {
            // An UnknownKekException here stops the start: the operator asked for a rotation that cannot finish.
            rewrap();
        }
    }

    /** Runs the rotation with the configured keys (the previous KEK may be absent: then it only checks). */
    public Report rewrap() {
        return rewrap(masterKey, previous, config.kek().rewrapBatchSize());
    }

    /**
     * Re-wraps every owner key under {@code previous} with {@code current}.
     *
     * @throws UnknownKekException if a row is wrapped by a KEK that is neither; nothing is changed
     */
    public Report rewrap(MasterKey current, Optional<MasterKey> previous, int batchSize) {
        Map<String, Long> byKek = countByKek();
        long alreadyCurrent = byKek.getOrDefault(current.kekId(), 0L);
        Map<String, Long> unknown = new LinkedHashMap<>(byKek);
        unknown.remove(current.kekId());
        previous.ifPresent(p -> unknown.remove(p.kekId()));
        if (!unknown.isEmpty()) {
            throw unknownKek(current, previous, unknown, "nothing was changed");
        }
        String previousId = previous.map(MasterKey::kekId).orElse(null);
        // The vault's own secrets (decision 037) first: a few rows, and sign-ins need them.
        Map<String, String> secretKeks = secretKekIds();
        Map<String, Long> unknownSecrets = new LinkedHashMap<>();
        secretKeks.forEach((name, kek) -> {
            if (!kek.equals(current.kekId()) && !kek.equals(previousId)) {
                unknownSecrets.put(kek + " (vault secret " + name + ")", 1L);
            }
        });
        if (!unknownSecrets.isEmpty()) {
            throw unknownKek(current, previous, unknownSecrets, "nothing was changed");
        }
        if (previous.isPresent() && secretKeks.containsValue(previousId)) {
            int secrets = QuarkusTransaction.requiringNew().call(() -> {
                try (Connection c = dataSource.getConnection()) {
                    int n = vaultSecrets.rewrap(c, current, previous.get());
                    logged("vault-secrets-rewrapped", previousId, current, n);
                    return n;
                }
            });
            LOG.infof("KEK rotation: re-wrapped %d vault secrets from KEK %s to KEK %s", secrets, previousId, current.kekId());
        }
        int rewrapped = 0;
        if (previous.isPresent() && byKek.getOrDefault(previousId, 0L) > 0) {
            MasterKey from = previous.get();
            int n;
            do {
                n = QuarkusTransaction.requiringNew().call(() -> rewrapBatch(current, from, batchSize));
                rewrapped += n;
            } while (n > 0);
        }
        int dropped = dropEpochKeysNotUnder(current);
        if (dropped > 0) {
            // Not re-wrapped here: compaction derives them again from the owners' keys and wraps them
            // under the current KEK; until then reads take the X25519 path. The previous KEK opens nothing.
            LOG.infof("KEK rotation: dropped %d vault epoch keys wrapped by another KEK", dropped);
        }
        long remaining = countByKek().entrySet().stream()
                .filter(e -> !e.getKey().equals(current.kekId())).mapToLong(Map.Entry::getValue).sum();
        Report report = new Report(current.kekId(), previousId, rewrapped, alreadyCurrent, remaining);
        if (rewrapped > 0) {
            LOG.infof("KEK rotation: re-wrapped %d owner keys from KEK %s to KEK %s; %d were already current",
                    rewrapped, previousId, current.kekId(), alreadyCurrent);
        }
        if (remaining > 0) {
            LOG.warnf("KEK rotation: %d owner keys are still not under KEK %s (locked by another transaction"
                    + " during the run); run it again", remaining, current.kekId());
        }
        return report;
    }

    private Map<String, String> secretKekIds() {
        try (Connection c = dataSource.getConnection()) {
            return vaultSecrets.kekIds(c);
        } catch (SQLException e) {
            throw new IllegalStateException("reading the vault secrets' KEKs failed: SQLState " + e.getSQLState(), e);
        }
    }

    private int dropEpochKeysNotUnder(MasterKey current) {
        // A transaction of its own (it was one autocommit statement), so the drop and its log entry commit together.
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = dataSource.getConnection()) {
                int n = VaultEpoch.dropWrappedKeysNotUnder(c, current.kekId());
                logged("epoch-keys-dropped", null, current, n);
                return n;
            } catch (SQLException e) {
                throw new IllegalStateException("dropping vault epoch keys of another KEK failed: SQLState "
                        + e.getSQLState(), e);
            }
        });
    }

    /**
     * One step of the rotation that changed {@code count} rows, as a deployment entry of the
     * transparency log in the step's transaction: which step, from which KEK to which, how many rows.
     * Kek ids and counts only — never a key, never an owner. A step that changed nothing is not logged,
     * so a restart with the previous KEK still configured adds no entries.
     */
    private void logged(String step, String fromKekId, MasterKey current, int count) {
        if (count <= 0) {
            return;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("step", step);
        details.put("fromKekId", fromKekId);
        details.put("toKekId", current.kekId());
        details.put("count", count);
        audit.deployment(AuditKind.KEK_ROTATED, details);
    }

    private int rewrapBatch(MasterKey current, MasterKey from, int batchSize) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            List<Row> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(SELECT_BATCH)) {
                ps.setString(1, current.kekId());
                ps.setInt(2, batchSize);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new Row(rs.getObject(1, UUID.class), rs.getInt(2), rs.getBytes(3), rs.getString(4)));
                    }
                }
            }
            if (rows.isEmpty()) {
                return 0;
            }
            try (PreparedStatement up = c.prepareStatement(UPDATE)) {
                for (Row row : rows) {
                    if (!row.kekId().equals(from.kekId())) {
                        // written between the check and this batch: refuse, this batch rolls back
                        throw unknownKek(current, Optional.of(from), Map.of(row.kekId(), 1L),
                                "this batch was rolled back");
                    }
                    byte[] privateKey;
                    try {
                        privateKey = from.unwrap(row.wrapped(), row.ownerId(), row.keyVersion());
                    } catch (SealBrokenException e) {
                        throw new IllegalStateException("owner key version " + row.keyVersion() + " of owner "
                                + row.ownerId() + " is marked as wrapped by KEK " + from.kekId()
                                + " but does not unwrap under it; this batch was rolled back");
                    }
                    try {
                        up.setBytes(1, current.wrap(privateKey, row.ownerId(), row.keyVersion()));
                    } finally {
                        Arrays.fill(privateKey, (byte) 0);
                    }
                    up.setString(2, current.kekId());
                    up.setObject(3, row.ownerId());
                    up.setInt(4, row.keyVersion());
                    up.setString(5, from.kekId());
                    up.addBatch();
                }
                int n = Arrays.stream(up.executeBatch()).sum();
                logged("owner-keys-rewrapped", from.kekId(), current, n);
                return n;
            }
        }
    }

    private Map<String, Long> countByKek() {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(COUNT_BY_KEK);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getLong(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("counting owner keys per KEK failed: SQLState " + e.getSQLState(), e);
        }
        return counts;
    }

    private static UnknownKekException unknownKek(MasterKey current, Optional<MasterKey> previous,
                                                  Map<String, Long> unknown, String outcome) {
        String which = unknown.entrySet().stream().map(e -> e.getKey() + " (" + e.getValue() + ")")
                .collect(Collectors.joining(", "));
        return new UnknownKekException("owner keys are wrapped by KEK " + which + ", neither the current KEK "
                + current.kekId() + " nor " + previous.map(p -> "the previous KEK " + p.kekId())
                        .orElse("a previous KEK (none is configured)")
                + "; configure it as vitalvault.kek.previous-file or VITALVAULT_KEK_PREVIOUS_BASE64 and run again; "
                + outcome);
    }

    private record Row(UUID ownerId, int keyVersion, byte[] wrapped, String kekId) {
    }
}
