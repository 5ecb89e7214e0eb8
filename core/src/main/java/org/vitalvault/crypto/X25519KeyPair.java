package org.vitalvault.crypto;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;

/**
 * An owner's X25519 key pair as raw RFC 7748 byte strings: a 32-byte public key (the
 * u-coordinate, little-endian) and a 32-byte private scalar.
 *
 * <p>The public key is what a gateway needs to seal readings to the owner (see {@link EpochKey});
 * the private key must stay inside the vault, wrapped by the {@link MasterKey} when at rest.
 *
 * <p>Guarantees: both arrays have exactly 32 bytes, and are defensively copied in and out so a
 * caller cannot mutate the pair. {@link #toString()} never prints the private key. Limits: this
 * type does not check that the public key matches the private key (use {@link
 * #publicKeyOf(byte[])} when that matters), and the private key copies handed out are ordinary
 * heap arrays that the caller should wipe when done; Java gives no stronger guarantee.
 */
public record X25519KeyPair(byte[] publicKey, byte[] privateKey) {

    /** Length in bytes of both the public and the private key. */
    public static final int KEY_LENGTH = 32;

    /**
     * @throws IllegalArgumentException if either key is not exactly 32 bytes
     */
    public X25519KeyPair {
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(privateKey, "privateKey");
        if (publicKey.length != KEY_LENGTH || privateKey.length != KEY_LENGTH) {
            throw new IllegalArgumentException("X25519 keys must be 32 bytes");
        }
        publicKey = publicKey.clone();
        privateKey = privateKey.clone();
    }

    /** Generates a fresh key pair from {@code random}. */
    public static X25519KeyPair generate(SecureRandom random) {
        Objects.requireNonNull(random, "random");
        X25519PrivateKeyParameters sk = new X25519PrivateKeyParameters(random);
        return new X25519KeyPair(sk.generatePublicKey().getEncoded(), sk.getEncoded());
    }

    /**
     * Computes the public key belonging to a raw 32-byte private key.
     *
     * @throws IllegalArgumentException if the private key is not 32 bytes
     */
    public static byte[] publicKeyOf(byte[] privateKey) {
        Objects.requireNonNull(privateKey, "privateKey");
        if (privateKey.length != KEY_LENGTH) {
            throw new IllegalArgumentException("X25519 private key must be 32 bytes");
        }
        return new X25519PrivateKeyParameters(privateKey).generatePublicKey().getEncoded();
    }

    /** Returns a copy, so the pair stays immutable. */
    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** Returns a copy, so the pair stays immutable; wipe it after use. */
    @Override
    public byte[] privateKey() {
        return privateKey.clone();
    }

    // Records compare arrays by reference, which would make equal pairs unequal.
    @Override
    public boolean equals(Object o) {
        return o instanceof X25519KeyPair other
                && Arrays.equals(publicKey, other.publicKey)
                && MessageDigest.isEqual(privateKey, other.privateKey);
    }

    // Only the public half feeds the hash, so hash codes leak nothing about the private key.
    @Override
    public int hashCode() {
        return Arrays.hashCode(publicKey);
    }

    @Override
    public String toString() {
        return "X25519KeyPair[publicKey=" + HexFormat.of().formatHex(publicKey)
                + ", privateKey=<redacted>]";
    }
}
