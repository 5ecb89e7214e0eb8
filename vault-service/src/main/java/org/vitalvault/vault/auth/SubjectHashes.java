package org.vitalvault.vault.auth;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.vitalvault.crypto.MasterKey;

/**
 * How login subjects are stored: {@code HMAC-SHA-256(subject key, label || 0x00 || UTF-8 subject)},
 * with one label per kind of account, so that a dump shows neither the subject nor, across tables,
 * that an owner and an organisation's manager are the same person (docs/decisions/037).
 *
 * <p>The subject key is 32 random bytes made on the first start and kept in {@code vault_secret},
 * wrapped by the KEK ({@link MasterKey#wrapSecret}): it travels with the database's backups, opens only
 * with the KEK, and a KEK rotation re-wraps it ({@link #rewrap}) without re-hashing anything. It is
 * not derived from the KEK: a hash cannot be recomputed without the subject, which is not kept, so a
 * KEK-derived key would tie every stored hash to a KEK that could then never be retired.
 *
 * <p>Limits: a subject is a low-entropy identifier (often an e-mail address); whoever holds the dump
 * and the KEK can test guesses against the hashes. Without the KEK they cannot.
 */
@ApplicationScoped
public class SubjectHashes {

    /** The row of {@code vault_secret} that holds the subject key. */
    public static final String KEY_NAME = "subject-hmac";

    private static final byte[] OWNER = "vitalvault/v1/subject/owner".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ORGANISATION = "vitalvault/v1/subject/organisation".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    MasterKey masterKey;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Clock clock;

    private volatile SecretKeySpec key;

    /** What an owner's subject (and a consent change's actor) is stored as. */
    public byte[] owner(String subject) {
        return hmac(OWNER, subject);
    }

    /** What an organisation's managing subject is stored as. */
    public byte[] organisation(String subject) {
        return hmac(ORGANISATION, subject);
    }

    private byte[] hmac(byte[] label, String subject) {
        Objects.requireNonNull(subject, "subject");
        byte[] text = subject.getBytes(StandardCharsets.UTF_8);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key());
            mac.update(ByteBuffer.allocate(label.length + 1 + text.length).put(label).put((byte) 0).put(text).array());
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA-256 is missing from this JVM", e);
        }
    }

    private SecretKeySpec key() {
        SecretKeySpec k = key;
        if (k == null) {
            synchronized (this) {
                k = key;
                if (k == null) {
                    // Its own transaction: a key made inside a request that then rolled back would be
                    // cached here but lost in the database, and every hash made with it unmatchable.
                    k = QuarkusTransaction.requiringNew().call(this::loadOrCreate);
                    key = k;
                }
            }
        }
        return k;
    }

    private SecretKeySpec loadOrCreate() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            Optional<Wrapped> stored = read(c, false);
            if (stored.isEmpty()) {
                byte[] fresh = new byte[MasterKey.KEY_LENGTH];
                RANDOM.nextBytes(fresh);
                try (PreparedStatement ps = c.prepareStatement("""
                        insert into vault_secret (name, wrapped, kek_id, created_at) values (?, ?, ?, ?)
                        on conflict (name) do nothing
                        """)) {
                    ps.setString(1, KEY_NAME);
                    ps.setBytes(2, masterKey.wrapSecret(fresh, KEY_NAME));
                    ps.setString(3, masterKey.kekId());
                    ps.setTimestamp(4, Timestamp.from(clock.instant()));
                    ps.executeUpdate();
                } finally {
                    Arrays.fill(fresh, (byte) 0);
                }
                // Another replica may have won the race: everyone uses the stored one.
                stored = read(c, false);
            }
            Wrapped w = stored.orElseThrow(() -> new IllegalStateException("the subject key could not be stored"));
            if (!w.kekId().equals(masterKey.kekId())) {
                throw new IllegalStateException("the subject key is wrapped by KEK " + w.kekId() + ", not by the current KEK "
                        + masterKey.kekId() + "; configure the previous KEK so that the KEK rotation re-wraps it");
            }
            byte[] raw = masterKey.unwrapSecret(w.wrapped(), KEY_NAME);
            try {
                return new SecretKeySpec(raw, "HmacSHA256");
            } finally {
                Arrays.fill(raw, (byte) 0);
            }
        }
    }

    /** The id of the KEK the subject key is wrapped by, empty before the first start made it. */
    public Optional<String> kekId(Connection c) throws SQLException {
        return read(c, false).map(Wrapped::kekId);
    }

    /**
     * KEK rotation: re-wraps the subject key from {@code from} to {@code current} on {@code c} (the
     * caller's transaction). Returns whether it did; a key already under {@code current} is left alone.
     *
     * @throws IllegalStateException if the key is wrapped by a third KEK
     */
    public boolean rewrap(Connection c, MasterKey current, MasterKey from) throws SQLException {
        Optional<Wrapped> stored = read(c, true);
        if (stored.isEmpty() || stored.get().kekId().equals(current.kekId())) {
            return false;
        }
        if (!stored.get().kekId().equals(from.kekId())) {
            throw new IllegalStateException("the subject key is wrapped by KEK " + stored.get().kekId()
                    + ", neither " + current.kekId() + " nor " + from.kekId());
        }
        byte[] raw = from.unwrapSecret(stored.get().wrapped(), KEY_NAME);
        try (PreparedStatement ps = c.prepareStatement("update vault_secret set wrapped = ?, kek_id = ? where name = ?")) {
            ps.setBytes(1, current.wrapSecret(raw, KEY_NAME));
            ps.setString(2, current.kekId());
            ps.setString(3, KEY_NAME);
            ps.executeUpdate();
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
        return true;
    }

    private static Optional<Wrapped> read(Connection c, boolean forUpdate) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select wrapped, kek_id from vault_secret where name = ?"
                + (forUpdate ? " for update" : ""))) {
            ps.setString(1, KEY_NAME);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Wrapped(rs.getBytes(1), rs.getString(2))) : Optional.empty();
            }
        }
    }

    private record Wrapped(byte[] wrapped, String kekId) {
    }
}
