package org.vitalvault.store.audit;

import java.io.ByteArrayOutputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.vitalvault.tlog.Frontier;
import org.vitalvault.tlog.MerkleHash;
import org.vitalvault.tlog.NodeHash;

/**
 * The sequencer (docs/decisions/050): gives queued commitments ({@code audit_pending}) their leaf
 * indexes in one total order and writes the tree's new hashes as tiles, in one transaction under a
 * transaction-scoped advisory lock, so any number of vault replicas may call it and exactly one
 * integrates at a time.
 *
 * <p>SCRATCH (branch auditbench, to run the bench before logstore lands): replaced by logstore's.
 */
public final class AuditIntegrator {

    /** The advisory lock key of the sequencer (pg_try_advisory_xact_lock). */
    public static final long LOCK_KEY = 0x7661756c74L << 16 | 0x17;

    /** What one call did: the head after it and how many entries it integrated. */
    public record Integration(TreeHead head, int integrated) {
    }

    private AuditIntegrator() {
    }

    /**
     * Integrates up to {@code maxEntries} queued commitments in the transaction of {@code c}
     * (auto-commit off; the caller commits). Empty when another sequencer holds the lock; otherwise
     * the head after integration (unchanged, with {@code integrated == 0}, when nothing was queued).
     */
    public static Optional<Integration> integrate(Connection c, int maxEntries) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select pg_try_advisory_xact_lock(?)")) {
            ps.setLong(1, LOCK_KEY);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return Optional.empty();
                }
            }
        }
        TreeHead head = AuditTiles.head(c);
        List<Long> ids = new ArrayList<>();
        List<byte[]> commitments = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "select entry_id, commitment from audit_pending order by entry_id limit ?")) {
            ps.setInt(1, maxEntries);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                    commitments.add(rs.getBytes(2));
                }
            }
        }
        if (ids.isEmpty()) {
            return Optional.of(new Integration(head, 0));
        }
        Frontier frontier = Frontier.read(head.size(), new AuditTiles(c));
        Map<Integer, Long> openTile = new HashMap<>();
        Map<Integer, ByteArrayOutputStream> openHashes = new HashMap<>();
        List<Object> tileLevels = new ArrayList<>();
        List<Object> tileIndexes = new ArrayList<>();
        List<Object> widths = new ArrayList<>();
        List<byte[]> tileHashes = new ArrayList<>();
        Object[] leafIds = new Object[ids.size()];
        Object[] leafIndexes = new Object[ids.size()];
        for (int i = 0; i < ids.size(); i++) {
            leafIds[i] = ids.get(i);
            leafIndexes[i] = frontier.size();
            for (NodeHash nh : frontier.append(MerkleHash.leaf(commitments.get(i)))) {
                if (nh.node().level() % AuditTiles.HEIGHT != 0) {
                    continue;
                }
                int level = nh.node().level() / AuditTiles.HEIGHT;
                long t = nh.node().index() >>> AuditTiles.HEIGHT;
                Long open = openTile.get(level);
                if (open == null || open != t) {
                    if (open != null) {
                        flush(level, open, openHashes.get(level), tileLevels, tileIndexes, widths, tileHashes);
                    }
                    ByteArrayOutputStream buf = new ByteArrayOutputStream(AuditTiles.WIDTH * MerkleHash.SIZE);
                    if ((nh.node().index() & (AuditTiles.WIDTH - 1)) != 0) {
                        byte[] existing = AuditTiles.tiles(c, Set.of(AuditTiles.key(level, t))).get(AuditTiles.key(level, t));
                        if (existing == null) {
                            throw new SQLException("partial tile " + level + "/" + t + " is missing");
                        }
                        buf.writeBytes(existing);
                    }
                    openTile.put(level, t);
                    openHashes.put(level, buf);
                }
                openHashes.get(level).writeBytes(nh.hash());
            }
        }
        openTile.forEach((level, t) -> flush(level, t, openHashes.get(level), tileLevels, tileIndexes, widths, tileHashes));
        try (PreparedStatement ps = c.prepareStatement("insert into audit_tile (tile_level, tile_index, width, hashes)"
                + " select * from unnest(?::smallint[], ?::bigint[], ?::smallint[], ?::bytea[])"
                + " on conflict (tile_level, tile_index) do update set width = excluded.width, hashes = excluded.hashes")) {
            ps.setArray(1, c.createArrayOf("smallint", tileLevels.toArray()));
            ps.setArray(2, c.createArrayOf("bigint", tileIndexes.toArray()));
            ps.setArray(3, c.createArrayOf("smallint", widths.toArray()));
            ps.setArray(4, c.createArrayOf("bytea", tileHashes.toArray(byte[][]::new)));
            ps.executeUpdate();
        }
        Object idArray = leafIds;
        try (PreparedStatement ps = c.prepareStatement("with l as (insert into audit_leaf (entry_id, leaf_index)"
                + " select * from unnest(?::bigint[], ?::bigint[]))"
                + " delete from audit_pending where entry_id = any(?::bigint[])")) {
            ps.setArray(1, c.createArrayOf("bigint", leafIds));
            ps.setArray(2, c.createArrayOf("bigint", leafIndexes));
            ps.setArray(3, c.createArrayOf("bigint", (Object[]) idArray));
            ps.executeUpdate();
        }
        byte[] root = frontier.root();
        Instant now = Instant.now();
        try (PreparedStatement ps = c.prepareStatement(
                "update audit_head set tree_size = ?, root_hash = ?, integrated_at = ?")) {
            ps.setLong(1, frontier.size());
            ps.setBytes(2, root);
            ps.setTimestamp(3, Timestamp.from(now));
            ps.executeUpdate();
        }
        return Optional.of(new Integration(new TreeHead(frontier.size(), root, now), ids.size()));
    }

    private static void flush(int level, long t, ByteArrayOutputStream buf, List<Object> levels, List<Object> indexes,
                              List<Object> widths, List<byte[]> hashes) {
        byte[] h = buf.toByteArray();
        levels.add((short) level);
        indexes.add(t);
        widths.add((short) (h.length / MerkleHash.SIZE));
        hashes.add(h);
    }
}
