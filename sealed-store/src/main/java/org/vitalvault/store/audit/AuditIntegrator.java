package org.vitalvault.store.audit;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.vitalvault.store.audit.AuditTiles.TileId;
import org.vitalvault.tlog.Frontier;
import org.vitalvault.tlog.MerkleHash;
import org.vitalvault.tlog.MissingNodeException;
import org.vitalvault.tlog.NodeHash;

/**
 * The sequencer (docs/decisions/050): gives queued commitments ({@code audit_pending}) their leaf
 * indexes in one total order and writes the tree's new hashes as tiles, in one transaction under a
 * transaction-scoped advisory lock, so any number of vault replicas may call it and exactly one
 * integrates at a time.
 *
 * <p>Five statements per call whatever the batch: take the lock; read the head (FOR UPDATE, so a
 * caller in a stale snapshot fails instead of forking the tree); read the rightmost partial tile of
 * every tile level (exactly the hashes the frontier needs); take the batch (delete ... returning);
 * write tiles, leaves and the new head in one statement of data-modifying CTEs over arrays. A
 * rollback of the caller's transaction undoes all of it, the batch's deletion included.
 */
public final class AuditIntegrator {

    /** The advisory lock key of the sequencer (pg_try_advisory_xact_lock). */
    public static final long LOCK_KEY = 0x7661756c74L << 16 | 0x17;

    /** What one call did: the head after it and how many entries it integrated. */
    public record Integration(TreeHead head, int integrated) {
    }

    /** Tile levels 0..7 hold tree levels 0, 8, .., 56: more than a log of 2^63 leaves needs. */
    private static final int TILE_LEVELS = 8;

    private static final String LOCK = "select pg_try_advisory_xact_lock(?)";
    private static final String HEAD = "select tree_size, root_hash, integrated_at from audit_head for update";
    /*
     * Taken and deleted in one statement: the subquery's snapshot names the rows, so an entry that
     * commits meanwhile (a lower id is possible: ids are not commit-ordered) stays queued for the next
     * call instead of being deleted unintegrated. RETURNING has no order; sorted by id in Java.
     */
    private static final String TAKE_PENDING = "delete from audit_pending where entry_id in"
            + " (select entry_id from audit_pending order by entry_id limit ?) returning entry_id, commitment";
    private static final String WRITE = "with t as ("
            + " insert into audit_tile (tile_level, tile_index, width, hashes)"
            + " select * from unnest(?::smallint[], ?::bigint[], ?::smallint[], ?::bytea[])"
            + " on conflict (tile_level, tile_index) do update set width = excluded.width, hashes = excluded.hashes),"
            + " l as (insert into audit_leaf (entry_id, leaf_index) select * from unnest(?::bigint[], ?::bigint[]))"
            + " update audit_head set tree_size = ?, root_hash = ?, integrated_at = ?";

    private AuditIntegrator() {
    }

    /**
     * Integrates up to {@code maxEntries} queued commitments in the transaction of {@code c}
     * (auto-commit off; the caller commits). Empty when another sequencer holds the lock; otherwise
     * the head after integration (unchanged, with {@code integrated == 0}, when nothing was queued).
     */
    public static Optional<Integration> integrate(Connection c, int maxEntries) throws SQLException {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("integrate at least one entry per call, not " + maxEntries);
        }
        if (c.getAutoCommit()) {
            // The lock would be released at the end of its own statement: two sequencers could fork the tree.
            throw new SQLException("the sequencer needs a transaction: auto-commit is on");
        }
        if (!tryLock(c)) {
            return Optional.empty();
        }
        TreeHead head = lockedHead(c);
        long size = head.size();
        Map<TileId, byte[]> tiles = AuditTiles.fetch(c, rightmostPartialTiles(size));
        Frontier frontier = Frontier.read(size, nodes -> AuditTiles.fold(tiles, nodes));

        List<Long> entryIds = new ArrayList<>();
        List<byte[]> commitments = new ArrayList<>();
        takePending(c, maxEntries, entryIds, commitments);
        if (entryIds.isEmpty()) {
            return Optional.of(new Integration(head, 0));
        }

        TileAppender appender = new TileAppender(size, tiles);
        for (byte[] commitment : commitments) {
            for (NodeHash completed : frontier.append(MerkleHash.leaf(commitment))) {
                appender.add(completed);
            }
        }
        TreeHead after = new TreeHead(frontier.size(), frontier.root(), Instant.now());
        write(c, appender.touched(), entryIds, size, after);
        return Optional.of(new Integration(after, entryIds.size()));
    }

    private static boolean tryLock(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(LOCK)) {
            ps.setLong(1, LOCK_KEY);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static TreeHead lockedHead(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(HEAD); ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("audit_head has no row: V21 was not applied");
            }
            return new TreeHead(rs.getLong(1), rs.getBytes(2), rs.getTimestamp(3).toInstant());
        }
    }

    /**
     * The last tile of every tile level that the tree of {@code size} leaves has started but not
     * filled: the frontier's subtrees at levels 8L .. 8L+7 are folded from exactly that tile, and the
     * next hashes of level 8L are appended to it.
     */
    static List<TileId> rightmostPartialTiles(long size) {
        List<TileId> ids = new ArrayList<>();
        for (int level = 0; level < TILE_LEVELS && (size >>> (AuditTiles.HEIGHT * level)) > 0; level++) {
            long count = size >>> (AuditTiles.HEIGHT * level);
            if ((count & (AuditTiles.WIDTH - 1)) != 0) {
                ids.add(new TileId(level, count >>> AuditTiles.HEIGHT));
            }
        }
        return ids;
    }

    private static void takePending(Connection c, int max, List<Long> entryIds, List<byte[]> commitments)
            throws SQLException {
        TreeMap<Long, byte[]> taken = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement(TAKE_PENDING)) {
            ps.setInt(1, max);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    taken.put(rs.getLong(1), rs.getBytes(2));
                }
            }
        }
        entryIds.addAll(taken.keySet());
        commitments.addAll(taken.values());
    }

    private static void write(Connection c, Map<TileId, byte[]> tiles, List<Long> entryIds, long firstIndex,
                              TreeHead after) throws SQLException {
        int t = tiles.size();
        Object[] levels = new Object[t];
        Object[] indexes = new Object[t];
        Object[] widths = new Object[t];
        byte[][] hashes = new byte[t][];
        int i = 0;
        for (Map.Entry<TileId, byte[]> e : tiles.entrySet()) {
            levels[i] = (short) e.getKey().level();
            indexes[i] = e.getKey().index();
            widths[i] = (short) (e.getValue().length / MerkleHash.SIZE);
            hashes[i] = e.getValue();
            i++;
        }
        int n = entryIds.size();
        Object[] ids = entryIds.toArray();
        Object[] leafIndexes = new Object[n];
        for (int j = 0; j < n; j++) {
            leafIndexes[j] = firstIndex + j;
        }
        List<Array> arrays = new ArrayList<>(7);
        try (PreparedStatement ps = c.prepareStatement(WRITE)) {
            ps.setArray(1, track(arrays, c.createArrayOf("int2", levels)));
            ps.setArray(2, track(arrays, c.createArrayOf("int8", indexes)));
            ps.setArray(3, track(arrays, c.createArrayOf("int2", widths)));
            ps.setArray(4, track(arrays, c.createArrayOf("bytea", hashes)));
            ps.setArray(5, track(arrays, c.createArrayOf("int8", ids)));
            ps.setArray(6, track(arrays, c.createArrayOf("int8", leafIndexes)));
            ps.setLong(7, after.size());
            ps.setBytes(8, after.rootHash());
            ps.setTimestamp(9, Timestamp.from(after.integratedAt()));
            ps.executeUpdate();
        } finally {
            for (Array a : arrays) {
                a.free();
            }
        }
    }

    private static Array track(List<Array> arrays, Array a) {
        arrays.add(a);
        return a;
    }

    /**
     * The tiles a batch changes: starts from the stored rightmost partial tiles and appends every
     * completed level-8L node, in order, to the tile of its level.
     */
    private static final class TileAppender {
        /** Per tile level: the tile being filled and its bytes so far. */
        private final List<TileId> current = new ArrayList<>();
        private final List<byte[]> buffers = new ArrayList<>();
        private final List<Integer> widths = new ArrayList<>();
        private final Map<TileId, byte[]> touched = new LinkedHashMap<>();

        TileAppender(long size, Map<TileId, byte[]> stored) {
            for (int level = 0; level < TILE_LEVELS; level++) {
                long count = size >>> (AuditTiles.HEIGHT * level);
                TileId id = new TileId(level, count >>> AuditTiles.HEIGHT);
                int width = (int) (count & (AuditTiles.WIDTH - 1));
                byte[] buffer = new byte[AuditTiles.WIDTH * MerkleHash.SIZE];
                if (width > 0) {
                    byte[] tile = stored.get(id);
                    if (tile == null || tile.length != width * MerkleHash.SIZE) {
                        throw new MissingNodeException("tile " + level + "/" + id.index() + " should hold " + width
                                + " hashes for a tree of " + size + " leaves; it holds "
                                + (tile == null ? "none" : tile.length / MerkleHash.SIZE));
                    }
                    System.arraycopy(tile, 0, buffer, 0, tile.length);
                }
                current.add(id);
                buffers.add(buffer);
                widths.add(width);
            }
        }

        void add(NodeHash completed) {
            int treeLevel = completed.node().level();
            if (treeLevel % AuditTiles.HEIGHT != 0) {
                return;
            }
            int level = treeLevel / AuditTiles.HEIGHT;
            long index = completed.node().index();
            TileId id = new TileId(level, index >>> AuditTiles.HEIGHT);
            int offset = (int) (index & (AuditTiles.WIDTH - 1));
            if (!id.equals(current.get(level)) || offset != widths.get(level)) {
                throw new IllegalStateException("node " + treeLevel + "/" + index + " is not the next hash of tile "
                        + current.get(level) + " (width " + widths.get(level) + ")");
            }
            byte[] buffer = buffers.get(level);
            System.arraycopy(completed.hash(), 0, buffer, offset * MerkleHash.SIZE, MerkleHash.SIZE);
            int width = offset + 1;
            if (width == AuditTiles.WIDTH) {
                touched.put(id, buffer);
                current.set(level, new TileId(level, id.index() + 1));
                buffers.set(level, new byte[AuditTiles.WIDTH * MerkleHash.SIZE]);
                widths.set(level, 0);
            } else {
                touched.put(id, null); // copied out in touched(): a partial tile is written once, as it ends
                widths.set(level, width);
            }
        }

        /** Every tile the batch changed with its bytes after the batch. */
        Map<TileId, byte[]> touched() {
            Map<TileId, byte[]> out = new LinkedHashMap<>();
            for (Map.Entry<TileId, byte[]> e : touched.entrySet()) {
                byte[] bytes = e.getValue();
                if (bytes == null) {
                    int level = e.getKey().level();
                    bytes = Arrays.copyOf(buffers.get(level), widths.get(level) * MerkleHash.SIZE);
                }
                out.put(e.getKey(), bytes);
            }
            return out;
        }
    }
}
