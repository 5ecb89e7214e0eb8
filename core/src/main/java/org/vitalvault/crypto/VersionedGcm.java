package org.vitalvault.crypto;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The one sealed-blob layout shared by {@link BatchCipher} and {@link MasterKey}:
 * {@code 0x01 || nonce(12) || ciphertext || tag(16)}, AES-GCM with a random nonce.
 * Kept in one place so the two formats cannot drift apart.
 */
final class VersionedGcm {

    static final byte FORMAT_VERSION = 0x01;
    static final int NONCE_LENGTH = 12;
    static final int TAG_LENGTH = 16;
    static final int OVERHEAD = 1 + NONCE_LENGTH + TAG_LENGTH;

    // SecureRandom is thread-safe; one shared instance avoids re-seeding cost on every seal.
    private static final SecureRandom RANDOM = new SecureRandom();

    // The JDK's AES/GCM uses AES-NI and carry-less multiplication; a Cipher is not thread-safe but
    // can be re-initialised, so each thread keeps one (a fresh nonce every init, as GCM demands).
    private static final ThreadLocal<Cipher> CIPHER = ThreadLocal.withInitial(VersionedGcm::newCipher);

    private VersionedGcm() {
    }

    static byte[] seal(byte[] key, byte[] aad, byte[] plaintext) {
        return seal(CIPHER.get(), key, aad, plaintext);
    }

    /** Seals with the given cipher, which the caller must not share between threads. */
    static Cipher newCipher() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no AES/GCM", e);
        }
    }

    static byte[] seal(Cipher gcm, byte[] key, byte[] aad, byte[] plaintext) {
        byte[] nonce = new byte[NONCE_LENGTH];
        RANDOM.nextBytes(nonce);
        byte[] out = new byte[OVERHEAD + plaintext.length];
        out[0] = FORMAT_VERSION;
        System.arraycopy(nonce, 0, out, 1, NONCE_LENGTH);
        try {
            gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_LENGTH * 8, nonce));
            gcm.updateAAD(aad);
            gcm.doFinal(plaintext, 0, plaintext.length, out, 1 + NONCE_LENGTH);
        } catch (GeneralSecurityException e) {
            // Only a bad key length gets here, and callers check it; fail loudly if the JDK changes.
            throw new IllegalStateException("AES-GCM encryption failed: " + e.getClass().getSimpleName());
        }
        return out;
    }

    static byte[] open(byte[] key, byte[] aad, byte[] sealed, String failureMessage) {
        // Every rejection uses the same message so the reason (length, version, tag) is not an
        // oracle for someone probing with crafted inputs.
        if (sealed == null || sealed.length < OVERHEAD || sealed[0] != FORMAT_VERSION) {
            throw new SealBrokenException(failureMessage);
        }
        try {
            Cipher gcm = CIPHER.get();
            gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"),
                    new GCMParameterSpec(TAG_LENGTH * 8, sealed, 1, NONCE_LENGTH));
            gcm.updateAAD(aad);
            // The JDK buffers the whole ciphertext and releases plaintext only after the tag verified.
            return gcm.doFinal(sealed, 1 + NONCE_LENGTH, sealed.length - 1 - NONCE_LENGTH);
        } catch (GeneralSecurityException e) {
            // AEADBadTagException above all; any other failure is answered the same way.
            throw new SealBrokenException(failureMessage);
        }
    }
}
