package org.vitalvault.tlog;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The hashes of RFC 6962 §2.1 / RFC 9162 §2.1.1 with SHA-256: a leaf is {@code H(0x00 || leaf)}, an
 * interior node {@code H(0x01 || left || right)}, the empty tree's root {@code H("")}. The two
 * prefixes keep a leaf from being passed off as a node (second-preimage resistance).
 */
public final class MerkleHash {

    /** Bytes in every hash. */
    public static final int SIZE = 32;

    private static final byte LEAF_PREFIX = 0x00;
    private static final byte NODE_PREFIX = 0x01;

    private MerkleHash() {
    }

    /** {@code SHA-256(0x00 || leaf)}. */
    public static byte[] leaf(byte[] leaf) {
        MessageDigest d = sha256();
        d.update(LEAF_PREFIX);
        d.update(leaf);
        return d.digest();
    }

    /** {@code SHA-256(0x01 || left || right)}. */
    public static byte[] node(byte[] left, byte[] right) {
        MessageDigest d = sha256();
        d.update(NODE_PREFIX);
        d.update(left);
        d.update(right);
        return d.digest();
    }

    /** The root of the tree with no leaves, {@code SHA-256("")}. */
    public static byte[] emptyRoot() {
        return sha256().digest();
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }
}
