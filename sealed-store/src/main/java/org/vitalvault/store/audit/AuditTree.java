package org.vitalvault.store.audit;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vitalvault.tlog.MerkleHash;
import org.vitalvault.tlog.MerkleProofs;
import org.vitalvault.tlog.MissingNodeException;
import org.vitalvault.tlog.Node;
import org.vitalvault.tlog.NodeReader;

/**
 * The stored log as callers ask it: proofs for a page of entries in one query, whatever the page's
 * length. {@link MerkleProofs} plans one proof per read; here every proof of a page is planned
 * first (a recording reader), the union of their nodes read in one {@link AuditTiles} query, and
 * the proofs computed from that. A node the tree of {@code size} does not hold completely (size
 * larger than the integrated head) fails with {@link MissingNodeException}.
 */
public final class AuditTree {

    private static final String LEAF_INDEXES = "select entry_id, leaf_index from audit_leaf"
            + " where entry_id = any(?::bigint[])";
    private static final byte[] PLACEHOLDER = new byte[MerkleHash.SIZE];

    private AuditTree() {
    }

    /**
     * The inclusion proof of each of {@code leafIndexes} in the tree of {@code size} leaves, in the
     * same order (RFC 9162 §2.1.3.1), all read in one query.
     */
    public static List<List<byte[]>> inclusionProofs(Connection c, long size, List<Long> leafIndexes) {
        Set<Node> planned = new LinkedHashSet<>();
        NodeReader planner = nodes -> {
            planned.addAll(nodes);
            List<byte[]> placeholders = new ArrayList<>(nodes.size());
            nodes.forEach(n -> placeholders.add(PLACEHOLDER));
            return placeholders;
        };
        for (long index : leafIndexes) {
            MerkleProofs.inclusion(index, size, planner);
        }
        Map<Node, byte[]> hashes = readAll(c, planned);
        NodeReader known = nodes -> nodes.stream().map(hashes::get).toList();
        List<List<byte[]>> proofs = new ArrayList<>(leafIndexes.size());
        for (long index : leafIndexes) {
            proofs.add(MerkleProofs.inclusion(index, size, known));
        }
        return proofs;
    }

    /** The consistency proof from the tree of {@code size1} to that of {@code size2} (one query). */
    public static List<byte[]> consistency(Connection c, long size1, long size2) {
        return MerkleProofs.consistency(size1, size2, new AuditTiles(c));
    }

    /** The root hash of the first {@code size} leaves (one query). */
    public static byte[] root(Connection c, long size) {
        return MerkleProofs.root(size, new AuditTiles(c));
    }

    /** The leaf index of each of {@code entryIds} that is integrated (one query); others are absent. */
    public static Map<Long, Long> leafIndexes(Connection c, Collection<Long> entryIds) throws SQLException {
        Map<Long, Long> out = new HashMap<>();
        if (entryIds.isEmpty()) {
            return out;
        }
        Array ids = c.createArrayOf("int8", entryIds.toArray());
        try (PreparedStatement ps = c.prepareStatement(LEAF_INDEXES)) {
            ps.setArray(1, ids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getLong(1), rs.getLong(2));
                }
            }
        } finally {
            ids.free();
        }
        return out;
    }

    private static Map<Node, byte[]> readAll(Connection c, Set<Node> nodes) {
        Map<Node, byte[]> out = new HashMap<>();
        if (nodes.isEmpty()) {
            return out;
        }
        List<Node> list = new ArrayList<>(nodes);
        List<byte[]> hashes = new AuditTiles(c).read(list);
        for (int i = 0; i < list.size(); i++) {
            out.put(list.get(i), hashes.get(i));
        }
        return out;
    }
}
