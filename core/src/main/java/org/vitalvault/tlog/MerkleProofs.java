package org.vitalvault.tlog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tree heads and proofs of RFC 9162 §2.1 computed from stored complete subtrees: each proof element
 * is the hash of a range of leaves, and each range is the fold of at most log2(n) complete subtrees,
 * so a proof reads O(log n) hashes, all of them in one {@link NodeReader#read} call.
 */
public final class MerkleProofs {

    private MerkleProofs() {
    }

    /** The root hash of the first {@code size} leaves (RFC 9162 MTH). */
    public static byte[] root(long size, NodeReader reader) {
        if (size < 0) {
            throw new IllegalArgumentException("negative tree size " + size);
        }
        if (size == 0) {
            return MerkleHash.emptyRoot();
        }
        return evaluate(List.of(new long[] {0, size}), reader).get(0);
    }

    /**
     * The inclusion proof of leaf {@code index} in the tree of {@code size} leaves (RFC 9162
     * §2.1.3.1), from the leaf's sibling up.
     */
    public static List<byte[]> inclusion(long index, long size, NodeReader reader) {
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException("leaf " + index + " is not in a tree of size " + size);
        }
        List<long[]> ranges = new ArrayList<>();
        path(index, 0, size, ranges);
        return evaluate(ranges, reader);
    }

    /**
     * The consistency proof between the trees of {@code size1} and {@code size2} leaves (RFC 9162
     * §2.1.4.1); empty when {@code size1} is 0 or equals {@code size2}.
     */
    public static List<byte[]> consistency(long size1, long size2, NodeReader reader) {
        if (size1 < 0 || size1 > size2) {
            throw new IllegalArgumentException("no consistency proof from size " + size1 + " to " + size2);
        }
        if (size1 == 0 || size1 == size2) {
            return List.of();
        }
        List<long[]> ranges = new ArrayList<>();
        subproof(size1, 0, size2, true, ranges);
        return evaluate(ranges, reader);
    }

    /** The ranges of leaves whose hashes form {@code PATH(m, D[from:to])}, leaf level first. */
    private static void path(long m, long from, long to, List<long[]> out) {
        long n = to - from;
        if (n <= 1) {
            return;
        }
        long k = largestPowerOfTwoBelow(n);
        if (m < from + k) {
            path(m, from, from + k, out);
            out.add(new long[] {from + k, to});
        } else {
            path(m, from + k, to, out);
            out.add(new long[] {from, from + k});
        }
    }

    /** {@code SUBPROOF(m, D[from:to], b)} of RFC 9162 §2.1.4.1, {@code m} counted from {@code from}. */
    private static void subproof(long m, long from, long to, boolean whole, List<long[]> out) {
        long n = to - from;
        if (m == n) {
            if (!whole) {
                out.add(new long[] {from, to});
            }
            return;
        }
        long k = largestPowerOfTwoBelow(n);
        if (m <= k) {
            subproof(m, from, from + k, whole, out);
            out.add(new long[] {from + k, to});
        } else {
            subproof(m - k, from + k, to, false, out);
            out.add(new long[] {from, from + k});
        }
    }

    /** The largest power of two strictly below {@code n} (n ≥ 2). */
    static long largestPowerOfTwoBelow(long n) {
        return Long.highestOneBit(n - 1);
    }

    /** Reads every subtree the ranges need in one call and folds each range right to left. */
    private static List<byte[]> evaluate(List<long[]> ranges, NodeReader reader) {
        Map<Node, Integer> wanted = new LinkedHashMap<>();
        List<List<Node>> covers = new ArrayList<>(ranges.size());
        for (long[] r : ranges) {
            List<Node> cover = Node.cover(r[0], r[1]);
            covers.add(cover);
            for (Node node : cover) {
                wanted.putIfAbsent(node, wanted.size());
            }
        }
        List<Node> nodes = new ArrayList<>(wanted.keySet());
        List<byte[]> hashes = reader.read(nodes);
        if (hashes.size() != nodes.size()) {
            throw new MissingNodeException("asked for " + nodes.size() + " nodes, got " + hashes.size());
        }
        List<byte[]> out = new ArrayList<>(ranges.size());
        for (List<Node> cover : covers) {
            byte[] h = hashes.get(wanted.get(cover.get(cover.size() - 1)));
            for (int i = cover.size() - 2; i >= 0; i--) {
                h = MerkleHash.node(hashes.get(wanted.get(cover.get(i))), h);
            }
            out.add(h);
        }
        return out;
    }
}
