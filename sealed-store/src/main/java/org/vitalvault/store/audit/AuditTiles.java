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
import org.vitalvault.tlog.MissingNodeException;
import org.vitalvault.tlog.Node;
import org.vitalvault.tlog.NodeReader;

/**
 * The tree's stored hashes ({@code audit_tile}, V21) read as complete subtrees: every node a proof
 * plan names is folded from the tile that holds its level-8L descendants, all tiles in one query.
 *
 * <p>Node {@code (ℓ, i)} with {@code L = ℓ / 8}, {@code k = ℓ % 8} is the fold of the {@code 2^k}
 * level-8L hashes starting at {@code i << k}: tile {@code (L, (i << k) >> 8)}, offset
 * {@code (i << k) & 255}. A tile holds only complete subtrees, so a node is readable exactly when all
 * its leaves are integrated; anything else (a node of a larger tree, a missing or narrowed tile) is a
 * {@link MissingNodeException}.
 */
public final class AuditTiles implements NodeReader {

    /** Tree levels per tile. */
    public static final int HEIGHT = 8;
    /** Hashes in a full tile. */
    public static final int WIDTH = 1 << HEIGHT;

    /** A tile's key: tree level {@code 8 * level}, hashes {@code 256 * index ..}. */
    public record TileId(int level, long index) {
    }

    private static final String READ_TILES = "select t.tile_level, t.tile_index, t.hashes from audit_tile t"
            + " join unnest(?::smallint[], ?::bigint[]) as u(l, i) on t.tile_level = u.l and t.tile_index = u.i";
    private static final String HEAD = "select tree_size, root_hash, integrated_at from audit_head";

    private final Connection connection;

    /** Reads through {@code connection} (any transaction; a proof should read one snapshot). */
    public AuditTiles(Connection connection) {
        this.connection = connection;
    }

    @Override
    public List<byte[]> read(List<Node> nodes) {
        if (nodes.isEmpty()) {
            return List.of();
        }
        Set<TileId> ids = new LinkedHashSet<>();
        for (Node n : nodes) {
            ids.add(tileOf(n));
        }
        Map<TileId, byte[]> tiles;
        try {
            tiles = fetch(connection, ids);
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the log's tiles", e);
        }
        return fold(tiles, nodes);
    }

    /** The integrated tree ({@code audit_head}). */
    public static TreeHead head(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(HEAD); ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("audit_head has no row: V21 was not applied");
            }
            return new TreeHead(rs.getLong(1), rs.getBytes(2), rs.getTimestamp(3).toInstant());
        }
    }

    /** The tile holding the level-8L descendants of {@code node}. */
    static TileId tileOf(Node node) {
        int k = node.level() % HEIGHT;
        return new TileId(node.level() / HEIGHT, (node.index() << k) >>> HEIGHT);
    }

    /** The tiles {@code ids} that exist, as stored (32 × width bytes), in one query. */
    static Map<TileId, byte[]> fetch(Connection c, Collection<TileId> ids) throws SQLException {
        Map<TileId, byte[]> tiles = new HashMap<>();
        if (ids.isEmpty()) {
            return tiles;
        }
        Object[] levels = new Object[ids.size()];
        Object[] indexes = new Object[ids.size()];
        int i = 0;
        for (TileId id : ids) {
            levels[i] = (short) id.level();
            indexes[i] = id.index();
            i++;
        }
        Array levelArray = c.createArrayOf("int2", levels);
        Array indexArray = c.createArrayOf("int8", indexes);
        try (PreparedStatement ps = c.prepareStatement(READ_TILES)) {
            ps.setArray(1, levelArray);
            ps.setArray(2, indexArray);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tiles.put(new TileId(rs.getShort(1), rs.getLong(2)), rs.getBytes(3));
                }
            }
        } finally {
            levelArray.free();
            indexArray.free();
        }
        return tiles;
    }

    /**
     * The hashes of {@code nodes} folded from {@code tiles}. Subtrees are memoised for the call, so
     * many proofs through one tile (a page of entries) hash each of its inner nodes once.
     */
    static List<byte[]> fold(Map<TileId, byte[]> tiles, List<Node> nodes) {
        Map<Node, byte[]> memo = new HashMap<>();
        List<byte[]> out = new ArrayList<>(nodes.size());
        for (Node n : nodes) {
            out.add(fold(tiles, n, memo));
        }
        return out;
    }

    private static byte[] fold(Map<TileId, byte[]> tiles, Node node, Map<Node, byte[]> memo) {
        int k = node.level() % HEIGHT;
        if (k == 0) {
            return stored(tiles, node);
        }
        byte[] known = memo.get(node);
        if (known != null) {
            return known;
        }
        TileId id = tileOf(node);
        byte[] tile = tiles.get(id);
        long first = node.index() << k;
        int end = (int) (first & (WIDTH - 1)) + (1 << k);
        if (tile == null || tile.length / MerkleHash.SIZE < end) {
            throw missing(node, id, tile);
        }
        byte[] h = MerkleHash.node(fold(tiles, new Node(node.level() - 1, node.index() << 1), memo),
                fold(tiles, new Node(node.level() - 1, (node.index() << 1) | 1), memo));
        memo.put(node, h);
        return h;
    }

    /** A node at a tile's own level: its 32 bytes, copied out. */
    private static byte[] stored(Map<TileId, byte[]> tiles, Node node) {
        TileId id = tileOf(node);
        byte[] tile = tiles.get(id);
        int offset = (int) (node.index() & (WIDTH - 1));
        if (tile == null || tile.length / MerkleHash.SIZE <= offset) {
            throw missing(node, id, tile);
        }
        byte[] h = new byte[MerkleHash.SIZE];
        System.arraycopy(tile, offset * MerkleHash.SIZE, h, 0, MerkleHash.SIZE);
        return h;
    }

    private static MissingNodeException missing(Node node, TileId id, byte[] tile) {
        return new MissingNodeException("node " + node.level() + "/" + node.index() + " needs tile " + id.level() + "/"
                + id.index() + (tile == null ? ", which is not stored"
                : ", which holds only " + tile.length / MerkleHash.SIZE + " hashes"));
    }
}
