package org.vitalvault.vault.audit.tree;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.vitalvault.tlog.MerkleProofs;
import org.vitalvault.tlog.Node;
import org.vitalvault.tlog.NodeReader;

/**
 * Many proofs answered with one read of the tree: every proof is planned first against a reader
 * that only notes the nodes it is asked for, then all noted nodes are read in one call (one query
 * of tiles), then the proofs are computed from those hashes. A page of a thousand entries costs
 * one round trip, not a thousand.
 */
public final class PlannedProofs {

    private static final byte[] PLACEHOLDER = new byte[32];

    private final List<Function<NodeReader, List<byte[]>>> proofs = new ArrayList<>();

    /** Adds the inclusion proof of leaf {@code index} in the tree of {@code size}; returns its slot. */
    public int inclusion(long index, long size) {
        proofs.add(reader -> MerkleProofs.inclusion(index, size, reader));
        return proofs.size() - 1;
    }

    /** Adds the consistency proof between sizes {@code from} ≤ {@code to}; returns its slot. */
    public int consistency(long from, long to) {
        proofs.add(reader -> MerkleProofs.consistency(from, to, reader));
        return proofs.size() - 1;
    }

    /** Every proof added, by slot, with one {@code store.read} call (none when no proof needs a node). */
    public List<List<byte[]>> compute(NodeReader store) {
        Set<Node> wanted = new LinkedHashSet<>();
        NodeReader planner = nodes -> {
            wanted.addAll(nodes);
            return nodes.stream().map(n -> PLACEHOLDER).toList();
        };
        for (Function<NodeReader, List<byte[]>> proof : proofs) {
            proof.apply(planner);
        }
        Map<Node, byte[]> hashes = new HashMap<>();
        if (!wanted.isEmpty()) {
            List<Node> nodes = new ArrayList<>(wanted);
            List<byte[]> read = store.read(nodes);
            if (read.size() != nodes.size()) {
                throw new org.vitalvault.tlog.MissingNodeException("asked for " + nodes.size() + " nodes, got " + read.size());
            }
            for (int i = 0; i < nodes.size(); i++) {
                hashes.put(nodes.get(i), read.get(i));
            }
        }
        NodeReader fromMemory = nodes -> nodes.stream().map(hashes::get).toList();
        List<List<byte[]>> out = new ArrayList<>(proofs.size());
        for (Function<NodeReader, List<byte[]>> proof : proofs) {
            out.add(proof.apply(fromMemory));
        }
        return out;
    }
}
