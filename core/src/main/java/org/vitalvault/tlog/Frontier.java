package org.vitalvault.tlog;

import java.util.ArrayList;
import java.util.List;

/**
 * The right edge of a growing log: the hashes of the complete subtrees that make up its first
 * {@code size} leaves (at most 63 of them). Appending a leaf hash returns every subtree the leaf
 * completes, which is all a store must write; the root folds from the edge without any read.
 * Not thread-safe: one sequencer appends at a time.
 */
public final class Frontier {

    private final List<NodeHash> edge;
    private long size;

    private Frontier(long size, List<NodeHash> edge) {
        this.size = size;
        this.edge = edge;
    }

    /** The frontier of the empty log. */
    public static Frontier empty() {
        return new Frontier(0, new ArrayList<>());
    }

    /** The complete subtrees that make up the first {@code size} leaves, largest (leftmost) first. */
    public static List<Node> nodes(long size) {
        return Node.cover(0, size);
    }

    /** The frontier of a log of {@code size} leaves read from {@code reader}. */
    public static Frontier read(long size, NodeReader reader) {
        List<Node> nodes = nodes(size);
        List<byte[]> hashes = nodes.isEmpty() ? List.of() : reader.read(nodes);
        if (hashes.size() != nodes.size()) {
            throw new MissingNodeException("asked for " + nodes.size() + " frontier nodes, got " + hashes.size());
        }
        List<NodeHash> edge = new ArrayList<>(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            edge.add(new NodeHash(nodes.get(i), hashes.get(i)));
        }
        return new Frontier(size, edge);
    }

    /**
     * Appends one leaf by its leaf hash ({@link MerkleHash#leaf}); returns the new level-0 node and
     * every higher subtree it completes, lowest first.
     */
    public List<NodeHash> append(byte[] leafHash) {
        List<NodeHash> completed = new ArrayList<>(4);
        NodeHash current = new NodeHash(new Node(0, size), leafHash.clone());
        completed.add(current);
        while (!edge.isEmpty() && edge.get(edge.size() - 1).node().level() == current.node().level()) {
            NodeHash left = edge.remove(edge.size() - 1);
            Node parent = new Node(current.node().level() + 1, left.node().index() >>> 1);
            current = new NodeHash(parent, MerkleHash.node(left.hash(), current.hash()));
            completed.add(current);
        }
        edge.add(current);
        size++;
        return completed;
    }

    /** The number of leaves appended so far. */
    public long size() {
        return size;
    }

    /** The root hash of the log as it stands (RFC 9162 MTH). */
    public byte[] root() {
        if (edge.isEmpty()) {
            return MerkleHash.emptyRoot();
        }
        byte[] h = edge.get(edge.size() - 1).hash();
        for (int i = edge.size() - 2; i >= 0; i--) {
            h = MerkleHash.node(edge.get(i).hash(), h);
        }
        return h;
    }
}
