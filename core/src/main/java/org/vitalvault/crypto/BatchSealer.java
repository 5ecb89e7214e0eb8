package org.vitalvault.crypto;

import java.util.Objects;
import javax.crypto.Cipher;

/**
 * Seals many batches under one epoch's data key, in {@link BatchCipher}'s format. It keeps its own
 * cipher, so the AES key schedule is computed once per epoch rather than once per batch — with one
 * reading per message nearly every batch row is sealed separately, and that setup was a visible
 * share of the gateway's CPU. Not thread-safe: one per epoch, used by one thread at a time.
 */
public final class BatchSealer {

    private final byte[] dataKey;
    private final Cipher cipher = VersionedGcm.newCipher();

    /** @throws IllegalArgumentException if {@code dataKey} is not 16 bytes */
    public BatchSealer(byte[] dataKey) {
        Objects.requireNonNull(dataKey, "dataKey");
        if (dataKey.length != EpochKey.DATA_KEY_LENGTH) {
            throw new IllegalArgumentException("batch data key must be 16 bytes");
        }
        this.dataKey = dataKey.clone();
    }

    /** Same output as {@link BatchCipher#seal}: opens with {@link BatchCipher#open}. */
    public byte[] seal(AssociatedData aad, byte[] plaintext) {
        Objects.requireNonNull(aad, "aad");
        Objects.requireNonNull(plaintext, "plaintext");
        return VersionedGcm.seal(cipher, dataKey, aad.bytes(), plaintext);
    }
}
