package org.vitalvault.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.UUID;

/**
 * A device's free-text name sealed to its owner's X25519 public key, so that a database dump shows
 * only ciphertext where the owner wrote "Grandma's insulin pump" (docs/decisions/037).
 *
 * <p>Format: {@code 0x01 || enc (32) || AES-128-GCM ciphertext || tag (16)}: RFC 9180 HPKE base mode,
 * DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-128-GCM, one message per context (sequence number
 * 0), a fresh ephemeral key for every seal, {@code info = "vitalvault/v1/device-name" || ownerId(16)
 * || deviceId(16)}, empty associated data (info already binds the ids). The name is UTF-8.
 *
 * <p>Guarantees: only the holder of the owner's private key (the vault, through the KEK) opens it;
 * a sealed name copied to another device or owner fails to open. Limits: the length of the name
 * shows (ciphertext length = name bytes + 49); the sender is not authenticated (anyone with the
 * public key can seal a name), which the database's own access control covers.
 */
public final class DeviceNameSeal {

    private static final byte FORMAT_VERSION = 0x01;
    private static final byte[] INFO_LABEL = "vitalvault/v1/device-name".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NO_AAD = new byte[0];
    private static final int TAG_LENGTH = 16;
    private static final String FAILURE = "sealed device name failed authentication";

    private DeviceNameSeal() {
    }

    /** Seals {@code name} to the owner's public key. */
    public static byte[] seal(byte[] ownerPublicKey, UUID ownerId, UUID deviceId, String name) {
        Objects.requireNonNull(name, "name");
        Hpke.SenderContext ctx = Hpke.setupBaseSender(ownerPublicKey, info(ownerId, deviceId), Hpke.AEAD_AES_128_GCM);
        byte[] ciphertext = ctx.seal(NO_AAD, name.getBytes(StandardCharsets.UTF_8));
        return ByteBuffer.allocate(1 + Hpke.ENC_LENGTH + ciphertext.length)
                .put(FORMAT_VERSION).put(ctx.enc()).put(ciphertext).array();
    }

    /**
     * Opens a name sealed by {@link #seal} for the same owner and device.
     *
     * @throws SealBrokenException if the key, owner or device differ, or the bytes were altered
     */
    public static String open(byte[] ownerPrivateKey, byte[] sealed, UUID ownerId, UUID deviceId) {
        Objects.requireNonNull(sealed, "sealed");
        if (sealed.length < 1 + Hpke.ENC_LENGTH + TAG_LENGTH || sealed[0] != FORMAT_VERSION) {
            throw new SealBrokenException(FAILURE);
        }
        byte[] enc = Arrays.copyOfRange(sealed, 1, 1 + Hpke.ENC_LENGTH);
        byte[] ciphertext = Arrays.copyOfRange(sealed, 1 + Hpke.ENC_LENGTH, sealed.length);
        byte[] plain = Hpke.setupBaseReceiver(enc, ownerPrivateKey, info(ownerId, deviceId), Hpke.AEAD_AES_128_GCM)
                .open(NO_AAD, ciphertext);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(plain)).toString();
        } catch (CharacterCodingException e) {
            // Authentic but not something seal() produced.
            throw new SealBrokenException(FAILURE);
        }
    }

    // Fixed-width ids after a fixed label: injective without length prefixes (as EpochKey.info).
    private static byte[] info(UUID ownerId, UUID deviceId) {
        Objects.requireNonNull(ownerId, "ownerId");
        Objects.requireNonNull(deviceId, "deviceId");
        return ByteBuffer.allocate(INFO_LABEL.length + 32)
                .put(INFO_LABEL)
                .putLong(ownerId.getMostSignificantBits())
                .putLong(ownerId.getLeastSignificantBits())
                .putLong(deviceId.getMostSignificantBits())
                .putLong(deviceId.getLeastSignificantBits())
                .array();
    }
}
