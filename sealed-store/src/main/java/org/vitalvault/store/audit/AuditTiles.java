package org.vitalvault.store.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vitalvault.tlog.MerkleHash;
import org.vitalvault.tlog.MissingNodeException;
import org.vitalvault.tlog.Node;
import org.vitalvault.tlog.NodeReader;

/**
 * The tree's stored hashes ({@code audit_tile}, V21) read as complete subtrees: every node a proof
 * plan names is folded from the tile that holds its level-8L descendants, all tiles in one query.
 *
 * <p>SCRATCH (branch auditbench, to run the bench before logstore lands): replaced by logstore's.
 */
public final class AuditTiles implements NodeReader {

    /** Tree levels per tile. */
    public static final int HEIGHT = 8;
    /** Hashes in a full tile. */
    public static final int WIDTH = 1 << HEIGHT;

    private static final String READ = "select t.tile_level, t.tile_index, t.hashes from audit_tile t"
            + " join unnest(?::smallint[], ?::bigint[]) as w(l, i) on t.tile_level = w.l and t.tile_index = w.i";

    private final Connection connection;

    /** Reads through {@code connection} (any transaction; a proof should read one snapshot). */
    public AuditTiles(Connection connection) {
        this.connection = connection;
    }

    @Override
    public List<byte[]> read(List<Node> nodes) {
        Set<Long> keys = new LinkedHashSet<>();
        for (Node n : nodes) {
            keys.add(key(n.level() / HEIGHT, (n.index() << (n.level() % HEIGHT)) >>> HEIGHT));
        }
        Map<Long, byte[]> tiles;
        try {
            tiles = tiles(connection, keys);
        } catch (SQLException e) {
            throw new IllegalStateException("reading audit tiles failed", e);
        }
        List<byte[]> out = new ArrayList<>(nodes.size());
        for (Node n : nodes) {
            int k = n.level() % HEIGHT;
            long first = n.index() << k;
            byte[] tile = tiles.get(key(n.level() / HEIGHT, first >>> HEIGHT));
            int offset = (int) (first & (WIDTH - 1));
            int count = 1 << k;
            if (tile == null || tile.length < (offset + count) * MerkleHash.SIZE) {
                throw new MissingNodeException("node " + n + " is not stored");
            }
            byte[][] level = new byte[count][];
            for (int j = 0; j < count; j++) {
                level[j] = java.util.Arrays.copyOfRange(tile, (offset + j) * MerkleHash.SIZE, (offset + j + 1) * MerkleHash.SIZE);
            }
            for (int width = count; width > 1; width /= 2) {
                for (int j = 0; j < width / 2; j++) {
                    level[j] = MerkleHash.node(level[2 * j], level[2 * j + 1]);
                }
            }
            out.add(level[0]);
        }
        return out;
    }

    static long key(int level, long index) {
        return ((long) level << 56) | index;
    }

    /** The tiles named by {@link #key}, by key. */
    static Map<Long, byte[]> tiles(Connection c, Set<Long> keys) throws SQLException {
        Object[] levels = new Object[keys.size()];
        Object[] indexes = new Object[keys.size()];
        int i = 0;
        for (long k : keys) {
            levels[i] = (short) (k >>> 56);
            indexes[i] = k & ((1L << 56) - 1);
            i++;
        }
        Map<Long, byte[]> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(READ)) {
            ps.setArray(1, c.createArrayOf("smallint", levels));
            ps.setArray(2, c.createArrayOf("bigint", indexes));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(key(rs.getShort(1), rs.getLong(2)), rs.getBytes(3));
                }
            }
        }
        return out;
    }

    /** The integrated tree ({@code audit_head}). */
    public static TreeHead head(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select tree_size, root_hash, integrated_at from audit_head");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return new TreeHead(rs.getLong(1), rs.getBytes(2), rs.getTimestamp(3).toInstant());
        }
    }
}
