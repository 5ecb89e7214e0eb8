package org.vitalvault.tlog;

import java.security.MessageDigest;
import java.util.List;

/**
 * Checks inclusion and consistency proofs exactly as RFC 9162 §2.1.3.2 and §2.1.4.2 describe, and
 * also refuses a proof of the wrong length for its sizes (a truncated proof, or one with hashes
 * appended), as transparency-dev/merkle does. Needs nothing but the proof, the sizes and the roots.
 */
public final class MerkleVerifier {

    private MerkleVerifier() {
    }

    /** Verifies that {@code leafHash} is leaf {@code index} of the tree of {@code size} with {@code root}. */
    public static void verifyInclusion(byte[] leafHash, long index, long size, List<byte[]> proof, byte[] root)
            throws ProofException {
        byte[] computed = rootFromInclusion(leafHash, index, size, proof);
        if (!MessageDigest.isEqual(computed, root)) {
            throw new ProofException("inclusion proof of leaf " + index + " leads to another root than the tree of size "
                    + size + " has");
        }
    }

    /** The root that {@code proof} leads to from {@code leafHash} at {@code index} in a tree of {@code size}. */
    public static byte[] rootFromInclusion(byte[] leafHash, long index, long size, List<byte[]> proof)
            throws ProofException {
        if (index < 0 || size <= 0 || index >= size) {
            throw new ProofException("leaf " + index + " is not in a tree of size " + size);
        }
        checkHash(leafHash, "leaf hash");
        int inner = 64 - Long.numberOfLeadingZeros(index ^ (size - 1));
        int border = Long.bitCount(index >>> inner);
        if (proof.size() != inner + border) {
            throw new ProofException("inclusion proof has " + proof.size() + " hashes; leaf " + index + " in a tree of size "
                    + size + " needs " + (inner + border));
        }
        long fn = index;
        long sn = size - 1;
        byte[] r = leafHash;
        for (byte[] p : proof) {
            checkHash(p, "proof hash");
            if (sn == 0) {
                throw new ProofException("inclusion proof is longer than the path to the root");
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = MerkleHash.node(p, r);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>>= 1;
                    sn >>>= 1;
                }
            } else {
                r = MerkleHash.node(r, p);
            }
            fn >>>= 1;
            sn >>>= 1;
        }
        if (sn != 0) {
            throw new ProofException("inclusion proof ends below the root");
        }
        return r;
    }

    /**
     * Verifies that the tree of {@code size2} with {@code root2} extends the tree of {@code size1} with
     * {@code root1}: every leaf of the first is, unchanged and in the same place, in the second.
     */
    public static void verifyConsistency(long size1, long size2, List<byte[]> proof, byte[] root1, byte[] root2)
            throws ProofException {
        if (size1 < 0 || size2 < size1) {
            throw new ProofException("a tree of size " + size2 + " cannot extend one of size " + size1);
        }
        // The empty tree has exactly one root, H(""); anything else claimed for size 0 is a lie.
        if (size1 == 0 && (root1 == null || !MessageDigest.isEqual(root1, MerkleHash.emptyRoot()))) {
            throw new ProofException("the tree of size 0 has the empty root, not the one given");
        }
        if (size1 == size2) {
            if (!proof.isEmpty()) {
                throw new ProofException("equal sizes need an empty consistency proof");
            }
            // Byte equality is all equal sizes can be checked for (as transparency-dev/merkle does; its
            // vectors keep a non-hash root here): the same root is trivially consistent with itself.
            if (root1 == null || root2 == null || !MessageDigest.isEqual(root1, root2)) {
                throw new ProofException("two different roots for the same tree size " + size1);
            }
            return;
        }
        checkHash(root1, "first root");
        checkHash(root2, "second root");
        if (size1 == 0) {
            if (!proof.isEmpty()) {
                throw new ProofException("the empty tree needs an empty consistency proof");
            }
            return;
        }
        if (proof.isEmpty()) {
            throw new ProofException("empty consistency proof from size " + size1 + " to " + size2);
        }
        long index = size1 - 1;
        int inner = 64 - Long.numberOfLeadingZeros(index ^ (size2 - 1));
        int border = Long.bitCount(index >>> inner);
        int shift = Long.numberOfTrailingZeros(size1);
        inner -= shift;
        boolean powerOfTwo = size1 == 1L << shift;
        int expected = (powerOfTwo ? 0 : 1) + inner + border;
        if (proof.size() != expected) {
            throw new ProofException("consistency proof has " + proof.size() + " hashes; sizes " + size1 + " and " + size2
                    + " need " + expected);
        }
        List<byte[]> path = powerOfTwo ? prepend(root1, proof) : proof;
        long fn = size1 - 1;
        long sn = size2 - 1;
        while ((fn & 1) == 1) {
            fn >>>= 1;
            sn >>>= 1;
        }
        byte[] fr = checkHash(path.get(0), "proof hash");
        byte[] sr = fr;
        for (byte[] c : path.subList(1, path.size())) {
            checkHash(c, "proof hash");
            if (sn == 0) {
                throw new ProofException("consistency proof is longer than the path to the root");
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = MerkleHash.node(c, fr);
                sr = MerkleHash.node(c, sr);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>>= 1;
                    sn >>>= 1;
                }
            } else {
                sr = MerkleHash.node(sr, c);
            }
            fn >>>= 1;
            sn >>>= 1;
        }
        if (sn != 0) {
            throw new ProofException("consistency proof ends below the root");
        }
        if (!MessageDigest.isEqual(fr, root1)) {
            throw new ProofException("consistency proof does not lead to the first root (size " + size1 + ")");
        }
        if (!MessageDigest.isEqual(sr, root2)) {
            throw new ProofException("consistency proof does not lead to the second root (size " + size2 + ")");
        }
    }

    private static List<byte[]> prepend(byte[] first, List<byte[]> rest) {
        java.util.ArrayList<byte[]> all = new java.util.ArrayList<>(rest.size() + 1);
        all.add(first);
        all.addAll(rest);
        return all;
    }

    private static byte[] checkHash(byte[] h, String what) throws ProofException {
        if (h == null || h.length != MerkleHash.SIZE) {
            throw new ProofException(what + " is not " + MerkleHash.SIZE + " bytes");
        }
        return h;
    }
}
