package org.vitalvault.crypto;

import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

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

    private VersionedGcm() {
    }

    static byte[] seal(byte[] key, byte[] aad, byte[] plaintext) {
        byte[] nonce = new byte[NONCE_LENGTH];
        RANDOM.nextBytes(nonce);
        // A fresh cipher per call: GCMBlockCipher is stateful, and sharing one across threads
        // would corrupt output; construction costs a few microseconds, far below I/O costs.
        GCMModeCipher gcm = GCMBlockCipher.newInstance(AESEngine.newInstance());
        gcm.init(true, new AEADParameters(new KeyParameter(key), TAG_LENGTH * 8, nonce, aad));
        byte[] out = new byte[1 + NONCE_LENGTH + gcm.getOutputSize(plaintext.length)];
        out[0] = FORMAT_VERSION;
        System.arraycopy(nonce, 0, out, 1, NONCE_LENGTH);
        int off = 1 + NONCE_LENGTH;
        off += gcm.processBytes(plaintext, 0, plaintext.length, out, off);
        try {
            gcm.doFinal(out, off);
        } catch (InvalidCipherTextException e) {
            // Encryption never verifies a tag, so this is unreachable; fail loudly if BC changes.
            throw new IllegalStateException("AES-GCM encryption failed unexpectedly");
        }
        return out;
    }

    static byte[] open(byte[] key, byte[] aad, byte[] sealed, String failureMessage) {
        // Every rejection uses the same message so the reason (length, version, tag) is not an
        // oracle for someone probing with crafted inputs.
        if (sealed == null || sealed.length < OVERHEAD || sealed[0] != FORMAT_VERSION) {
            throw new SealBrokenException(failureMessage);
        }
        GCMModeCipher gcm = GCMBlockCipher.newInstance(AESEngine.newInstance());
        gcm.init(false, new AEADParameters(new KeyParameter(key), TAG_LENGTH * 8,
                Arrays.copyOfRange(sealed, 1, 1 + NONCE_LENGTH), aad));
        int ctOff = 1 + NONCE_LENGTH;
        int ctLen = sealed.length - ctOff;
        byte[] out = new byte[gcm.getOutputSize(ctLen)];
        int n = gcm.processBytes(sealed, ctOff, ctLen, out, 0);
        try {
            n += gcm.doFinal(out, n);
        } catch (InvalidCipherTextException e) {
            // processBytes has already written unauthenticated plaintext into our private buffer;
            // wipe it so forged data never outlives this call.
            Arrays.fill(out, (byte) 0);
            throw new SealBrokenException(failureMessage);
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }
}
