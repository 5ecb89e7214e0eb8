package org.vitalvault.vault.attributes;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.UUID;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.vitalvault.policy.consent.AgeBand;
import org.vitalvault.policy.consent.OwnerAttributes;
import org.vitalvault.policy.consent.Sex;

/**
 * An owner's shared attributes sealed under the vault's attributes key (docs/decisions/037): a dump
 * shows no age band, sex or region. Decisions load them by owner id and filter in the policy module,
 * so no SQL needs them in the clear.
 *
 * <p>Format: {@code 0x01 || nonce (12, random) || AES-256-GCM ciphertext || tag (16)}, associated
 * data {@code "vitalvault/v1/shared-attributes" || ownerId (16)} (a row copied to another owner does
 * not open); plaintext {@code ageBand \n sex \n region}, enum names, empty = not shared. Limits: the
 * ciphertext length shows the region code's length (ISO 3166: 2 to 6 characters).
 */
final class AttributeSeal {

    private static final byte VERSION = 0x01;
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;
    private static final byte[] LABEL = "vitalvault/v1/shared-attributes".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    private AttributeSeal() {
    }

    static byte[] seal(byte[] key, UUID owner, OwnerAttributes a) {
        String text = (a.ageBand() == null ? "" : a.ageBand().name()) + "\n" + (a.sex() == null ? "" : a.sex().name())
                + "\n" + (a.region() == null ? "" : a.region());
        byte[] nonce = new byte[NONCE];
        RANDOM.nextBytes(nonce);
        try {
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            gcm.updateAAD(aad(owner));
            byte[] ct = gcm.doFinal(text.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(1 + NONCE + ct.length).put(VERSION).put(nonce).put(ct).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("sealing shared attributes failed", e);
        }
    }

    static OwnerAttributes open(byte[] key, UUID owner, byte[] sealed) {
        if (sealed.length < 1 + NONCE + TAG_BITS / 8 || sealed[0] != VERSION) {
            throw new IllegalStateException("sealed shared attributes of an unknown format");
        }
        try {
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"),
                    new GCMParameterSpec(TAG_BITS, Arrays.copyOfRange(sealed, 1, 1 + NONCE)));
            gcm.updateAAD(aad(owner));
            String[] f = new String(gcm.doFinal(sealed, 1 + NONCE, sealed.length - 1 - NONCE), StandardCharsets.UTF_8)
                    .split("\n", -1);
            return new OwnerAttributes(f[0].isEmpty() ? null : AgeBand.valueOf(f[0]), f[1].isEmpty() ? null : Sex.valueOf(f[1]),
                    f[2].isEmpty() ? null : f[2]);
        } catch (AEADBadTagException e) {
            throw new IllegalStateException("sealed shared attributes of owner " + owner + " failed authentication");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("opening shared attributes failed", e);
        }
    }

    private static byte[] aad(UUID owner) {
        return ByteBuffer.allocate(LABEL.length + 16).put(LABEL)
                .putLong(owner.getMostSignificantBits()).putLong(owner.getLeastSignificantBits()).array();
    }
}
