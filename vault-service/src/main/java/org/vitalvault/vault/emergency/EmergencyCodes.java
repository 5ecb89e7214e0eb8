package org.vitalvault.vault.emergency;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.vitalvault.vault.auth.VaultSecrets;

/**
 * How an emergency code is stored: {@code HMAC-SHA-256(emergency-code key, "vitalvault/v1/emergency-code"
 * || 0x00 || canonical code)}. The key is a vault secret (32 random bytes, KEK-wrapped in
 * {@code vault_secret}), so a dump alone cannot test guesses against the hashes; with the KEK it can,
 * at 2^80 guesses per code. Deterministic on purpose: the clinician presents only the code, and the
 * vault finds the owner by its hash.
 */
@ApplicationScoped
public class EmergencyCodes {

    static final String KEY_NAME = "emergency-code";
    private static final byte[] LABEL = "vitalvault/v1/emergency-code\0".getBytes(StandardCharsets.US_ASCII);

    @Inject
    VaultSecrets secrets;

    /** The stored form of a canonical code ({@link EmergencyCode#canonical}). */
    public byte[] hash(String canonicalCode) {
        byte[] key = secrets.secret(KEY_NAME);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(LABEL);
            return mac.doFinal(canonicalCode.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA-256 is missing from this JVM", e);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }
}
