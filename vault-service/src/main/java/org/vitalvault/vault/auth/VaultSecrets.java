package org.vitalvault.vault.auth;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.vitalvault.crypto.MasterKey;

/**
 * The vault's own 32-byte secrets in {@code vault_secret} (V14), each wrapped by the KEK and bound to
 * its name ({@link MasterKey#wrapSecret}): the subject key ({@link SubjectHashes}) and the shared
 * attributes key. Made by the first vault that needs one ({@code on conflict do nothing}, so replicas
 * agree), cached unwrapped for the process's life, re-wrapped by a KEK rotation ({@link #rewrap}).
 * They travel with every database backup and open only with that backup's KEK (docs/decisions/037).
 */
@ApplicationScoped
public class VaultSecrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    MasterKey masterKey;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Clock clock;

    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    /** The secret {@code name}, unwrapped (a copy: wipe it after use), made on first use. */
    public byte[] secret(String name) {
        // Its own transaction: a secret made inside a request that then rolled back would be cached
        // here but lost in the database, and everything made with it unreadable.
        return cache.computeIfAbsent(name, n -> QuarkusTransaction.requiringNew().call(() -> loadOrCreate(n))).clone();
    }

    private byte[] loadOrCreate(String name) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            Optional<Wrapped> stored = read(c, name, false);
            if (stored.isEmpty()) {
                byte[] fresh = new byte[MasterKey.KEY_LENGTH];
                RANDOM.nextBytes(fresh);
                try (PreparedStatement ps = c.prepareStatement("""
                        insert into vault_secret (name, wrapped, kek_id, created_at) values (?, ?, ?, ?)
                        on conflict (name) do nothing
                        """)) {
                    ps.setString(1, name);
                    ps.setBytes(2, masterKey.wrapSecret(fresh, name));
                    ps.setString(3, masterKey.kekId());
                    ps.setTimestamp(4, Timestamp.from(clock.instant()));
                    ps.executeUpdate();
                } finally {
                    Arrays.fill(fresh, (byte) 0);
                }
                // Another replica may have won the race: everyone uses the stored one.
                stored = read(c, name, false);
            }
            Wrapped w = stored.orElseThrow(() -> new IllegalStateException("vault secret " + name + " could not be stored"));
            if (!w.kekId().equals(masterKey.kekId())) {
                throw new IllegalStateException("vault secret " + name + " is wrapped by KEK " + w.kekId()
                        + ", not by the current KEK " + masterKey.kekId()
                        + "; configure the previous KEK so that the KEK rotation re-wraps it");
            }
            return masterKey.unwrapSecret(w.wrapped(), name);
        }
    }

    /** Each stored secret's name and the id of the KEK it is wrapped by. */
    public Map<String, String> kekIds(Connection c) throws SQLException {
        Map<String, String> ids = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select name, kek_id from vault_secret order by name");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ids.put(rs.getString(1), rs.getString(2));
            }
        }
        return ids;
    }

    /**
     * KEK rotation: re-wraps every secret under {@code from} with {@code current}, on {@code c} (the
     * caller's transaction). Returns how many; secrets already under {@code current} are left alone.
     *
     * @throws IllegalStateException if a secret is wrapped by a third KEK
     */
    public int rewrap(Connection c, MasterKey current, MasterKey from) throws SQLException {
        List<String> names = new ArrayList<>(kekIds(c).keySet());
        int rewrapped = 0;
        for (String name : names) {
            Wrapped w = read(c, name, true).orElseThrow();
            if (w.kekId().equals(current.kekId())) {
                continue;
            }
            if (!w.kekId().equals(from.kekId())) {
                throw new IllegalStateException("vault secret " + name + " is wrapped by KEK " + w.kekId()
                        + ", neither " + current.kekId() + " nor " + from.kekId());
            }
            byte[] raw = from.unwrapSecret(w.wrapped(), name);
            try (PreparedStatement ps = c.prepareStatement("update vault_secret set wrapped = ?, kek_id = ? where name = ?")) {
                ps.setBytes(1, current.wrapSecret(raw, name));
                ps.setString(2, current.kekId());
                ps.setString(3, name);
                ps.executeUpdate();
            } finally {
                Arrays.fill(raw, (byte) 0);
            }
            rewrapped++;
        }
        return rewrapped;
    }

    private static Optional<Wrapped> read(Connection c, String name, boolean forUpdate) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select wrapped, kek_id from vault_secret where name = ?"
                + (forUpdate ? " for update" : ""))) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Wrapped(rs.getBytes(1), rs.getString(2))) : Optional.empty();
            }
        }
    }

    private record Wrapped(byte[] wrapped, String kekId) {
    }
}
