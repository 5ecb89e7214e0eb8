package org.vitalvault.vault.device;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A device's MQTT password: 256 random bits, shown once at pairing. The vault keeps only its
 * SHA-256 — a fast hash is enough because the secret is random, not chosen by a person.
 */
public record DeviceCredential(String secret) {

    private static final SecureRandom RANDOM = new SecureRandom();

    public static DeviceCredential generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return new DeviceCredential(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }

    /** A fresh 256-bit COSE_Mac0 key (HMAC 256/256) for the device. */
    public static byte[] newMacKey() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return key;
    }

    public byte[] hash() {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public String toString() {
        return "DeviceCredential[<redacted>]";
    }
}
