package org.vitalvault.vault.auth;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How login subjects are stored: {@code HMAC-SHA-256(subject key, label || 0x00 || UTF-8 subject)},
 * with one label per kind of account, so that a dump shows neither the subject nor, across tables,
 * that an owner and an organisation's manager are the same person (docs/decisions/037).
 *
 * <p>The subject key is 32 random bytes made on the first use and kept in {@code vault_secret},
 * wrapped by the KEK ({@link VaultSecrets}): it travels with the database's backups, opens only
 * with the KEK, and a KEK rotation re-wraps it without re-hashing anything. It is
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
    private static final byte[] CAREGIVER = "vitalvault/v1/subject/caregiver".getBytes(StandardCharsets.US_ASCII);

    @Inject
    VaultSecrets secrets;

    private volatile SecretKeySpec key;

    private static final byte[] CLINICIAN = "vitalvault/v1/subject/clinician".getBytes(StandardCharsets.US_ASCII);

    /** What an owner's subject (and a consent change's actor) is stored as. */
    public byte[] owner(String subject) {
        return hmac(OWNER, subject);
    }

    /** What an organisation's managing subject is stored as. */
    public byte[] organisation(String subject) {
        return hmac(ORGANISATION, subject);
    }

    /** What a caregiver's subject is stored as (its own label: not linkable to the same person's owner row). */
    public byte[] caregiver(String subject) {
        return hmac(CAREGIVER, subject);
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

    /** What a clinician's subject is stored as in an emergency episode (decision 047). */
    public byte[] clinician(String subject) {
        return hmac(CLINICIAN, subject);
    }

    private SecretKeySpec key() {
        SecretKeySpec k = key;
        if (k == null) {
            byte[] raw = secrets.secret(KEY_NAME);
            k = new SecretKeySpec(raw, "HmacSHA256");
            Arrays.fill(raw, (byte) 0);
            key = k;
        }
        return k;
    }
}
