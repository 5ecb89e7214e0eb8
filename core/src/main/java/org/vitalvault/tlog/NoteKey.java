package org.vitalvault.tlog;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * An Ed25519 public key as C2SP signed-note names it: a key name, a 4-byte key id
 * {@code SHA-256(name || 0x0A || 0x01 || publicKey)[:4]} and the 32-byte key; written as the
 * verifier key {@code name+hex(keyId)+base64(0x01 || publicKey)}.
 */
public record NoteKey(String name, byte[] keyId, byte[] publicKey) {

    /** Signature type byte of Ed25519 in signed-note. */
    static final byte ED25519 = 0x01;

    public NoteKey {
        checkName(name);
        if (publicKey == null || publicKey.length != 32) {
            throw new IllegalArgumentException("an Ed25519 public key has 32 bytes");
        }
        publicKey = publicKey.clone();
        byte[] expected = keyId(name, publicKey);
        if (keyId == null || !Arrays.equals(keyId, expected)) {
            throw new IllegalArgumentException("key id does not match the key name and public key");
        }
        keyId = expected;
    }

    /** The key called {@code name} with the raw Ed25519 {@code publicKey}. */
    public static NoteKey of(String name, byte[] publicKey) {
        checkName(name);
        return new NoteKey(name, keyId(name, publicKey), publicKey);
    }

    /** Parses a verifier key {@code name+hexid+base64key}. */
    public static NoteKey parse(String verifierKey) throws ProofException {
        String[] parts = verifierKey.trim().split("\\+", 3);
        if (parts.length != 3) {
            throw new ProofException("a verifier key is name+keyid+key");
        }
        byte[] id;
        byte[] key;
        try {
            id = HexFormat.of().parseHex(parts[1]);
            key = Base64.getDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new ProofException("verifier key id is not hex or key is not base64");
        }
        if (id.length != 4 || key.length != 33 || key[0] != ED25519) {
            throw new ProofException("not an Ed25519 verifier key");
        }
        try {
            return new NoteKey(parts[0], id, Arrays.copyOfRange(key, 1, 33));
        } catch (IllegalArgumentException e) {
            throw new ProofException("verifier key: " + e.getMessage());
        }
    }

    @Override
    public byte[] keyId() {
        return keyId.clone();
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** {@code name+hex(keyId)+base64(0x01 || publicKey)}. */
    public String verifierKey() {
        byte[] typed = new byte[33];
        typed[0] = ED25519;
        System.arraycopy(publicKey, 0, typed, 1, 32);
        return name + "+" + HexFormat.of().formatHex(keyId) + "+" + Base64.getEncoder().encodeToString(typed);
    }

    static byte[] keyId(String name, byte[] publicKey) {
        MessageDigest d = MerkleHash.sha256();
        d.update(name.getBytes(StandardCharsets.UTF_8));
        d.update((byte) 0x0A);
        d.update(ED25519);
        d.update(publicKey);
        return Arrays.copyOf(d.digest(), 4);
    }

    private static void checkName(String name) {
        if (name == null || name.isEmpty() || name.contains("+") || name.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("a key name is non-empty, without spaces or '+'");
        }
    }
}
