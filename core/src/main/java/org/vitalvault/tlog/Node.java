package org.vitalvault.tlog;

/**
 * A complete (perfect) subtree of the log: the {@code 2^level} leaves starting at leaf
 * {@code index * 2^level}. Level 0 nodes are the leaves' hashes. Only complete subtrees are ever
 * stored; the hash of an incomplete right edge is folded from them on demand.
 */
public record Node(int level, long index) {

    public Node {
        if (level < 0 || level > 62 || index < 0) {
            throw new IllegalArgumentException("no such node: level " + level + ", index " + index);
        }
    }

    /** The first leaf this subtree covers. */
    public long firstLeaf() {
        return index << level;
    }

    /** The number of leaves this subtree covers. */
    public long leafCount() {
        return 1L << level;
    }

    /** One past the last leaf this subtree covers. */
    public long endLeaf() {
        return firstLeaf() + leafCount();
    }

    /**
     * The complete subtrees that make up leaves {@code [from, to)} when {@code from} is a multiple of
     * the largest power of two not above {@code to - from} or zero — the ranges the proofs of RFC
     * 9162 name — left to right, largest first.
     */
    static java.util.List<Node> cover(long from, long to) {
        java.util.List<Node> nodes = new java.util.ArrayList<>();
        long at = from;
        while (at < to) {
            int level = 63 - Long.numberOfLeadingZeros(to - at);
            // The largest aligned subtree that starts at `at` and fits.
            while (level > 0 && (at & ((1L << level) - 1)) != 0) {
                level--;
            }
            nodes.add(new Node(level, at >> level));
            at += 1L << level;
        }
        return nodes;
    }
}
