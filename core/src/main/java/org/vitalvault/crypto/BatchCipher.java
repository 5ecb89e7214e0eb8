package org.vitalvault.crypto;

import java.util.Objects;

/**
 * Seals a batch of readings under an epoch's data key ({@link EpochKey#dataKey()}).
 *
 * <p>Format: {@code 0x01 (format version) || nonce (12 random bytes) || AES-128-GCM ciphertext ||
 * tag (16 bytes)}, with {@link AssociatedData#bytes()} ({@link BatchAad}, {@link SegmentAad}) as associated
 * data. Overhead: 29 bytes.
 *
 * <p>Guarantees: confidentiality and integrity of the plaintext, and binding to the owner, metric,
 * bucket and epoch in the AAD; any change to any of them, or to any byte of the output, makes
 * {@link #open} throw {@link SealBrokenException}. Safe to call from many threads. Limits: nonces
 * are random, so one data key must not seal more than about 2^32 batches (NIST SP 800-38D);
 * rotate epochs well before that. The plaintext length is not hidden, and replaying an old batch
 * under the very same AAD is not detected here (the store must enforce one batch per AAD).
 */
public final class BatchCipher {

    /** The format version byte that starts every sealed batch. */
    public static final byte FORMAT_VERSION = VersionedGcm.FORMAT_VERSION;
    /** Bytes added to the plaintext length by {@link #seal}. */
    public static final int OVERHEAD = VersionedGcm.OVERHEAD;

    private static final String FAILURE = "sealed batch failed authentication";

    private BatchCipher() {
    }

    /**
     * Encrypts {@code plaintext} with a fresh random nonce.
     *
     * @throws IllegalArgumentException if {@code dataKey} is not 16 bytes
     */
    public static byte[] seal(byte[] dataKey, AssociatedData aad, byte[] plaintext) {
        Objects.requireNonNull(aad, "aad");
        Objects.requireNonNull(plaintext, "plaintext");
        return VersionedGcm.seal(checkKey(dataKey), aad.bytes(), plaintext);
    }

    /**
     * Decrypts and authenticates a batch produced by {@link #seal}.
     *
     * @throws SealBrokenException if the tag does not verify (wrong key, wrong AAD, tampering),
     *     the format version is unknown, or the input is too short
     * @throws IllegalArgumentException if {@code dataKey} is not 16 bytes
     */
    public static byte[] open(byte[] dataKey, AssociatedData aad, byte[] sealed) {
        Objects.requireNonNull(aad, "aad");
        Objects.requireNonNull(sealed, "sealed");
        return VersionedGcm.open(checkKey(dataKey), aad.bytes(), sealed, FAILURE);
    }

    private static byte[] checkKey(byte[] dataKey) {
        Objects.requireNonNull(dataKey, "dataKey");
        if (dataKey.length != EpochKey.DATA_KEY_LENGTH) {
            throw new IllegalArgumentException("batch data key must be 16 bytes");
        }
        return dataKey;
    }
}
