package org.vitalvault.tlog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The stored-subtree tree against RFC 6962 as written ({@link NaiveMerkle}) for random sizes up to a
 * few thousand leaves: the same roots and proofs, every proof verifies, and any damage to a proof —
 * one flipped bit, a dropped, added or swapped hash — or a proof checked for another leaf or another
 * tree size is refused with a {@link ProofException}.
 */
class MerkleProofPropertiesTest {

    private static final int MAX = 3000;

    /** A random log: leaf hashes, the naive list and the stored tree. */
    private record Log(List<byte[]> leaves, MemoryTree tree) {
        static Log of(int size, long seed) {
            List<byte[]> leaves = new ArrayList<>(size);
            MemoryTree tree = new MemoryTree();
            for (int i = 0; i < size; i++) {
                byte[] h = NaiveMerkle.leafHash(ByteBuffer.allocate(12).putLong(seed).putInt(i).array());
                leaves.add(h);
                tree.append(h);
            }
            return new Log(leaves, tree);
        }

        byte[] root(int size) {
            return MerkleProofs.root(size, tree);
        }
    }

    @Property(tries = 30)
    void storedSubtreesGiveTheRfcRootsAndProofs(@ForAll @IntRange(min = 1, max = MAX) int size, @ForAll long seed)
            throws ProofException {
        Log log = Log.of(size, seed);
        Random random = new Random(seed);
        assertArrayEquals(NaiveMerkle.mth(log.leaves()), log.tree().root(), "frontier root");
        assertArrayEquals(NaiveMerkle.mth(log.leaves()), log.root(size), "stored root");
        for (int k = 0; k < 5; k++) {
            int m = random.nextInt(size);
            assertProofsEqual(NaiveMerkle.path(m, log.leaves()), MerkleProofs.inclusion(m, size, log.tree()));
            int older = 1 + random.nextInt(size);
            assertArrayEquals(NaiveMerkle.mth(log.leaves().subList(0, older)), log.root(older), "root of " + older);
            assertProofsEqual(NaiveMerkle.proof(older, log.leaves()), MerkleProofs.consistency(older, size, log.tree()));
        }
        // Every leaf's inclusion proof and every earlier size's consistency proof verifies.
        byte[] root = log.root(size);
        for (int i = 0; i < size; i++) {
            MerkleVerifier.verifyInclusion(log.leaves().get(i), i, size, MerkleProofs.inclusion(i, size, log.tree()), root);
        }
        for (int m = 0; m <= size; m++) {
            MerkleVerifier.verifyConsistency(m, size, MerkleProofs.consistency(m, size, log.tree()), log.root(m), root);
        }
    }

    @Property(tries = 300)
    void everyDamagedInclusionProofIsRefused(@ForAll @IntRange(min = 1, max = MAX) int size,
            @ForAll @IntRange(min = 0, max = MAX - 1) int pick, @ForAll long seed) throws ProofException {
        Log log = Log.of(size, seed);
        Random random = new Random(seed);
        int index = pick % size;
        byte[] leaf = log.leaves().get(index);
        byte[] root = log.root(size);
        List<byte[]> proof = MerkleProofs.inclusion(index, size, log.tree());
        MerkleVerifier.verifyInclusion(leaf, index, size, proof, root);

        for (List<byte[]> damaged : damaged(proof, random)) {
            assertThrows(ProofException.class, () -> MerkleVerifier.verifyInclusion(leaf, index, size, damaged, root));
        }
        if (size > 1) {
            int other = (index + 1 + random.nextInt(size - 1)) % size;
            assertThrows(ProofException.class, () -> MerkleVerifier.verifyInclusion(leaf, other, size, proof, root),
                    "leaf " + index + " claimed at " + other);
            assertThrows(ProofException.class,
                    () -> MerkleVerifier.verifyInclusion(log.leaves().get(other), index, size, proof, root), "another leaf");
        }
        // A proof for this size checked against another size's tree head.
        int otherSize = index + 1 + random.nextInt(size);
        if (otherSize != size && otherSize <= log.leaves().size()) {
            byte[] otherRoot = log.root(otherSize);
            assertThrows(ProofException.class,
                    () -> MerkleVerifier.verifyInclusion(leaf, index, otherSize, proof, otherRoot),
                    "proof for size " + size + " checked at size " + otherSize);
        }
        for (int wrongSize : new int[] {size - 1, size + 1, 2 * size}) {
            if (wrongSize > index && wrongSize != size) {
                // The right root with the wrong size, too: the size is part of the path's shape.
                assertRefusedUnlessSameShape(leaf, index, size, wrongSize, proof, root);
            }
        }
    }

    @Property(tries = 300)
    void everyDamagedConsistencyProofIsRefused(@ForAll @IntRange(min = 2, max = MAX) int size,
            @ForAll @IntRange(min = 1, max = MAX) int pick, @ForAll long seed) throws ProofException {
        Log log = Log.of(size, seed);
        Random random = new Random(seed);
        int older = 1 + (pick - 1) % (size - 1);
        byte[] root1 = log.root(older);
        byte[] root2 = log.root(size);
        List<byte[]> proof = MerkleProofs.consistency(older, size, log.tree());
        MerkleVerifier.verifyConsistency(older, size, proof, root1, root2);

        for (List<byte[]> damaged : damaged(proof, random)) {
            assertThrows(ProofException.class, () -> MerkleVerifier.verifyConsistency(older, size, damaged, root1, root2));
        }
        // Another first size, with that size's true root: the proof was not made for it.
        int otherOlder = 1 + random.nextInt(size - 1);
        if (otherOlder != older) {
            byte[] otherRoot1 = log.root(otherOlder);
            assertThrows(ProofException.class, () -> MerkleVerifier.verifyConsistency(otherOlder, size, proof, otherRoot1, root2),
                    "proof " + older + "→" + size + " checked from " + otherOlder);
        }
        // Another second size, with that size's true root.
        int otherSize = older + 1 + random.nextInt(size - older);
        if (otherSize != size) {
            byte[] otherRoot2 = log.root(otherSize);
            assertThrows(ProofException.class, () -> MerkleVerifier.verifyConsistency(older, otherSize, proof, root1, otherRoot2),
                    "proof " + older + "→" + size + " checked to " + otherSize);
        }
        // A rewritten history: the same sizes, a different first tree.
        byte[] forked = root1.clone();
        forked[random.nextInt(forked.length)] ^= 1;
        assertThrows(ProofException.class, () -> MerkleVerifier.verifyConsistency(older, size, proof, forked, root2));
        assertThrows(ProofException.class, () -> MerkleVerifier.verifyConsistency(older, size, proof, root2, root1));
    }

    /** One flipped bit, a dropped hash, an added hash (end and front), two hashes swapped. */
    private static List<List<byte[]>> damaged(List<byte[]> proof, Random random) {
        List<List<byte[]>> out = new ArrayList<>();
        byte[] extra = NaiveMerkle.leafHash(new byte[] {(byte) random.nextInt()});
        List<byte[]> appended = new ArrayList<>(proof);
        appended.add(extra);
        out.add(appended);
        List<byte[]> prepended = new ArrayList<>(proof);
        prepended.add(0, extra);
        out.add(prepended);
        if (!proof.isEmpty()) {
            List<byte[]> flipped = new ArrayList<>(proof);
            int at = random.nextInt(proof.size());
            byte[] h = proof.get(at).clone();
            h[random.nextInt(h.length)] ^= (byte) (1 << random.nextInt(8));
            flipped.set(at, h);
            out.add(flipped);
            List<byte[]> dropped = new ArrayList<>(proof);
            dropped.remove(random.nextInt(proof.size()));
            out.add(dropped);
            List<byte[]> truncated = new ArrayList<>(proof.subList(0, proof.size() - 1));
            out.add(truncated);
            List<byte[]> duplicated = new ArrayList<>(proof);
            duplicated.set(proof.size() - 1, proof.get(0));
            if (proof.size() > 1) {
                out.add(duplicated);
            }
        }
        if (proof.size() > 1) {
            List<byte[]> swapped = new ArrayList<>(proof);
            int a = random.nextInt(proof.size());
            int b = (a + 1 + random.nextInt(proof.size() - 1)) % proof.size();
            swapped.set(a, proof.get(b));
            swapped.set(b, proof.get(a));
            out.add(swapped);
        }
        return out;
    }

    /**
     * A proof checked with the true root but a wrong size: refused, except where RFC 9162's walk has
     * the same shape for both sizes (then the size is bound only by the signed tree head, which is
     * why the verifier reads size and root from the same checkpoint).
     */
    private static void assertRefusedUnlessSameShape(byte[] leaf, int index, int size, int wrongSize, List<byte[]> proof,
            byte[] root) throws ProofException {
        byte[] walked;
        try {
            walked = MerkleVerifier.rootFromInclusion(leaf, index, wrongSize, proof);
        } catch (ProofException refused) {
            return;
        }
        assertArrayEquals(MerkleVerifier.rootFromInclusion(leaf, index, size, proof), walked,
                "a wrong size walked to a third root");
    }

    private static void assertProofsEqual(List<byte[]> want, List<byte[]> got) {
        assertEquals(want.size(), got.size(), "proof length");
        for (int i = 0; i < want.size(); i++) {
            assertArrayEquals(want.get(i), got.get(i), "proof hash " + i);
        }
    }
}
