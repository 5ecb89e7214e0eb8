package org.vitalvault.vault.attack;

import java.io.ByteArrayOutputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vitalvault.tlog.Frontier;
import org.vitalvault.tlog.NodeHash;

/**
 * What a dishonest operator (or an intruder with the database) can do to the log's tables with
 * plain SQL: read every leaf hash back from the level-0 tiles, rebuild all tiles and the head for
 * a rewritten list of leaves (DESIGN-17's tile layout), drop checkpoints. With the vault's key it
 * can then have a new checkpoint signed — the owner's held checkpoint is what still catches it.
 * Also keeps a copy of the audit tables so each tamper case starts from the same honest log.
 */
final class LogOperator {

    static final List<String> TABLES = List.of("audit_owner_entry", "audit_owner_chain", "audit_deployment_entry",
            "audit_pending", "audit_leaf", "audit_tile", "audit_head", "audit_checkpoint");

    private LogOperator() {
    }

    /** Copies every audit table aside (plain tables, so any connection can restore them). */
    static void backup(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String t : TABLES) {
                s.execute("drop table if exists tamper_copy_" + t);
                s.execute("create table tamper_copy_" + t + " as select * from " + t);
            }
        }
    }

    /** Puts the audit tables back as {@link #backup} found them, in one transaction. */
    static void restore(Connection c) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            for (String t : TABLES) {
                s.execute("delete from " + t);
                s.execute("insert into " + t + " select * from tamper_copy_" + t);
            }
            c.commit();
            for (String t : TABLES) {
                s.execute("drop table tamper_copy_" + t);
            }
            c.commit();
        } finally {
            c.setAutoCommit(auto);
        }
    }

    /** The first {@code size} leaf hashes, read back from the level-0 tiles. */
    static List<byte[]> leafHashes(Connection c, long size) throws SQLException {
        List<byte[]> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "select hashes from audit_tile where tile_level = 0 order by tile_index");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next() && out.size() < size) {
                byte[] h = rs.getBytes(1);
                for (int i = 0; i + 32 <= h.length && out.size() < size; i += 32) {
                    out.add(Arrays.copyOfRange(h, i, i + 32));
                }
            }
        }
        if (out.size() != size) {
            throw new IllegalStateException("the tiles hold " + out.size() + " leaves, not " + size);
        }
        return out;
    }

    /** The integrated tree's size (audit_head). */
    static long headSize(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select tree_size from audit_head");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Replaces every tile and the head with the tree of {@code leaves}; returns its root. */
    static byte[] writeTree(Connection c, List<byte[]> leaves) throws SQLException {
        Frontier f = Frontier.empty();
        Map<List<Long>, ByteArrayOutputStream> tiles = new LinkedHashMap<>();
        for (byte[] leaf : leaves) {
            for (NodeHash n : f.append(leaf)) {
                int level = n.node().level();
                if (level % 8 == 0) {
                    tiles.computeIfAbsent(List.of((long) level / 8, n.node().index() >> 8), k -> new ByteArrayOutputStream())
                            .writeBytes(n.hash());
                }
            }
        }
        try (Statement s = c.createStatement()) {
            s.execute("delete from audit_tile");
        }
        try (PreparedStatement ps = c.prepareStatement(
                "insert into audit_tile (tile_level, tile_index, width, hashes) values (?, ?, ?, ?)")) {
            for (Map.Entry<List<Long>, ByteArrayOutputStream> t : tiles.entrySet()) {
                byte[] hashes = t.getValue().toByteArray();
                ps.setShort(1, t.getKey().get(0).shortValue());
                ps.setLong(2, t.getKey().get(1));
                ps.setShort(3, (short) (hashes.length / 32));
                ps.setBytes(4, hashes);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        byte[] root = f.root();
        try (PreparedStatement ps = c.prepareStatement("update audit_head set tree_size = ?, root_hash = ?, integrated_at = now()")) {
            ps.setLong(1, leaves.size());
            ps.setBytes(2, root);
            ps.executeUpdate();
        }
        return root;
    }

    /** Forgets every checkpoint larger than {@code size} (all of them for -1). */
    static void dropCheckpointsAbove(Connection c, long size) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("delete from audit_checkpoint where tree_size > ?")) {
            ps.setLong(1, size);
            ps.executeUpdate();
        }
    }

    static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            return ps.executeUpdate();
        }
    }

    static byte[] bytes(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("no row: " + sql);
                }
                return rs.getBytes(1);
            }
        }
    }

    static long number(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("no row: " + sql);
                }
                return rs.getLong(1);
            }
        }
    }
}
