package org.vitalvault.vault.sealing;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.vitalvault.vault.auth.VaultSecrets;

/**
 * Short texts about an owner that name people or say why (a notification, a caregiver's label, a
 * clinician's reason) sealed under the vault's {@code owner-text} key, so a dump shows none of them
 * (docs/decisions/037, 045).
 *
 * <p>Format: {@code 0x01 || nonce (12, random) || AES-256-GCM ciphertext || tag (16)}; associated
 * data {@code "vitalvault/v1/owner-text/" || purpose || ownerId (16)}: a row copied to another owner,
 * or from one column to another, does not open. Limits: the length of the text shows.
 */
@ApplicationScoped
public class OwnerTextSeal {

    /** Which column a text belongs to; part of the associated data. */
    public enum Purpose {
        NOTICE, ACCESS_DETAIL, CAREGIVER_LABEL, EMERGENCY_REASON, EMERGENCY_CODE_HINT, CAREGIVER_SHARED_AS,
        /** An audit log entry with its salt (docs/decisions/050). */
        AUDIT_ENTRY
    }

    private static final String SECRET = "owner-text";
    private static final byte VERSION = 0x01;
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    VaultSecrets secrets;

    public byte[] seal(UUID owner, Purpose purpose, String text) {
        byte[] nonce = new byte[NONCE];
        RANDOM.nextBytes(nonce);
        byte[] key = secrets.secret(SECRET);
        try {
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            gcm.updateAAD(aad(owner, purpose));
            byte[] ct = gcm.doFinal(text.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(1 + NONCE + ct.length).put(VERSION).put(nonce).put(ct).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("sealing an owner text failed", e);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /**
     * The same text sealed to each owner in turn (one copy per owner, each with its own nonce and
     * associated data), as {@link #seal} would, with one cipher and one key fetch for all: a research
     * query notifies thousands of owners inside its release transaction.
     */
    public byte[][] sealEach(java.util.List<UUID> owners, Purpose purpose, String text) {
        byte[] plain = text.getBytes(StandardCharsets.UTF_8);
        return sealBytesEach(owners, purpose, java.util.Collections.nCopies(owners.size(), plain));
    }

    /**
     * {@code plains.get(i)} sealed to {@code owners.get(i)}, for each i, with one cipher and one key
     * fetch for all (the audit log seals one entry per included owner inside a query's release).
     */
    public byte[][] sealBytesEach(java.util.List<UUID> owners, Purpose purpose, java.util.List<byte[]> plains) {
        if (owners.size() != plains.size()) {
            throw new IllegalArgumentException("one plaintext per owner");
        }
        byte[] nonces = new byte[NONCE * owners.size()];
        RANDOM.nextBytes(nonces);
        byte[] key = secrets.secret(SECRET);
        try {
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            SecretKeySpec spec = new SecretKeySpec(key, "AES");
            byte[][] out = new byte[owners.size()][];
            for (int i = 0; i < out.length; i++) {
                byte[] plain = plains.get(i);
                byte[] sealed = new byte[1 + NONCE + plain.length + TAG_BITS / 8];
                sealed[0] = VERSION;
                System.arraycopy(nonces, i * NONCE, sealed, 1, NONCE);
                gcm.init(Cipher.ENCRYPT_MODE, spec, new GCMParameterSpec(TAG_BITS, sealed, 1, NONCE));
                gcm.updateAAD(aad(owners.get(i), purpose));
                gcm.doFinal(plain, 0, plain.length, sealed, 1 + NONCE);
                out[i] = sealed;
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("sealing an owner text failed", e);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    public String open(UUID owner, Purpose purpose, byte[] sealed) {
        return new String(openBytes(owner, purpose, sealed), StandardCharsets.UTF_8);
    }

    /** The bytes {@link #sealBytesEach} sealed to {@code owner} for {@code purpose}. */
    public byte[] openBytes(UUID owner, Purpose purpose, byte[] sealed) {
        if (sealed == null || sealed.length < 1 + NONCE + TAG_BITS / 8 || sealed[0] != VERSION) {
            throw new IllegalStateException("sealed owner text of an unknown format");
        }
        byte[] key = secrets.secret(SECRET);
        try {
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"),
                    new GCMParameterSpec(TAG_BITS, Arrays.copyOfRange(sealed, 1, 1 + NONCE)));
            gcm.updateAAD(aad(owner, purpose));
            return gcm.doFinal(sealed, 1 + NONCE, sealed.length - 1 - NONCE);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a sealed " + purpose + " text of owner " + owner + " does not open", e);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    private static byte[] aad(UUID owner, Purpose purpose) {
        byte[] label = ("vitalvault/v1/owner-text/" + purpose.name()).getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(label.length + 16).put(label)
                .putLong(owner.getMostSignificantBits()).putLong(owner.getLeastSignificantBits()).array();
    }
}
