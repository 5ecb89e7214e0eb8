package org.vitalvault.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.UUID;

/**
 * The per-owner, per-epoch data key and its HPKE encapsulation.
 *
 * <p>Format: {@code enc} is a 32-byte RFC 9180 encapsulated key for DHKEM(X25519, HKDF-SHA256),
 * HKDF-SHA256, export-only AEAD, base mode, with {@code info = "vitalvault/v1/epoch" ||
 * ownerId(16) || epochId(16)} (UUIDs as big-endian most/least significant longs). The
 * {@code dataKey} is {@code Export("vitalvault/v1/data-key", 16)}, an AES-128 key for {@link
 * BatchCipher}.
 *
 * <p>Guarantees: the gateway can create a data key and store {@code enc} next to the sealed
 * batches, and once it forgets {@code dataKey} only the owner's private key can recover it; the
 * key is bound to the owner and epoch ids, so an {@code enc} moved to another owner or epoch
 * recovers an unrelated key. Limits: recovery never fails by itself, a wrong private key or a
 * tampered {@code enc} just yields a different key, detected when {@link BatchCipher#open} fails;
 * the sender is not authenticated (anyone with the owner's public key can create epoch keys);
 * the gateway knows {@code dataKey} for as long as it keeps it in memory.
 */
public record EpochKey(byte[] enc, byte[] dataKey) {

    /** Length of the exported data key: AES-128. */
    public static final int DATA_KEY_LENGTH = 16;

    private static final byte[] INFO_LABEL =
            "vitalvault/v1/epoch".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EXPORT_LABEL =
            "vitalvault/v1/data-key".getBytes(StandardCharsets.US_ASCII);

    /**
     * @throws IllegalArgumentException if {@code enc} is not 32 bytes or {@code dataKey} not 16
     */
    public EpochKey {
        Objects.requireNonNull(enc, "enc");
        Objects.requireNonNull(dataKey, "dataKey");
        if (enc.length != Hpke.ENC_LENGTH || dataKey.length != DATA_KEY_LENGTH) {
            throw new IllegalArgumentException("enc must be 32 bytes and dataKey 16 bytes");
        }
        enc = enc.clone();
        dataKey = dataKey.clone();
    }

    /**
     * Gateway side: encapsulates a fresh data key to the owner's X25519 public key.
     *
     * @throws IllegalArgumentException if the public key is not a usable 32-byte X25519 key
     */
    public static EpochKey create(byte[] ownerPublicKey, UUID ownerId, UUID epochId) {
        Hpke.SenderContext ctx = Hpke.setupBaseSender(
                ownerPublicKey, info(ownerId, epochId), Hpke.AEAD_EXPORT_ONLY);
        return new EpochKey(ctx.enc(), ctx.export(EXPORT_LABEL, DATA_KEY_LENGTH));
    }

    /**
     * Vault side: re-derives the 16-byte data key from {@code enc} with the owner's private key.
     *
     * @throws SealBrokenException if {@code enc} is malformed or a low-order point
     */
    public static byte[] recover(byte[] ownerPrivateKey, byte[] enc, UUID ownerId, UUID epochId) {
        return Hpke.setupBaseReceiver(enc, ownerPrivateKey, info(ownerId, epochId),
                        Hpke.AEAD_EXPORT_ONLY)
                .export(EXPORT_LABEL, DATA_KEY_LENGTH);
    }

    // Fixed-width ids after a fixed label: the encoding is injective without length prefixes.
    static byte[] info(UUID ownerId, UUID epochId) {
        Objects.requireNonNull(ownerId, "ownerId");
        Objects.requireNonNull(epochId, "epochId");
        return ByteBuffer.allocate(INFO_LABEL.length + 32)
                .put(INFO_LABEL)
                .putLong(ownerId.getMostSignificantBits())
                .putLong(ownerId.getLeastSignificantBits())
                .putLong(epochId.getMostSignificantBits())
                .putLong(epochId.getLeastSignificantBits())
                .array();
    }

    /** Returns a copy; {@code enc} is public and may be stored in the clear. */
    @Override
    public byte[] enc() {
        return enc.clone();
    }

    /** Returns a copy of the secret data key; wipe it after use. */
    @Override
    public byte[] dataKey() {
        return dataKey.clone();
    }

    // Records compare arrays by reference; compare contents, the key in constant time.
    @Override
    public boolean equals(Object o) {
        return o instanceof EpochKey other
                && Arrays.equals(enc, other.enc)
                && MessageDigest.isEqual(dataKey, other.dataKey);
    }

    // enc alone identifies the key and is public, so the hash reveals nothing secret.
    @Override
    public int hashCode() {
        return Arrays.hashCode(enc);
    }

    @Override
    public String toString() {
        return "EpochKey[enc=" + HexFormat.of().formatHex(enc) + ", dataKey=<redacted>]";
    }
}
