package org.vitalvault.store.audit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.UUID;
import org.vitalvault.store.Migrations;
import org.vitalvault.tlog.MerkleHash;

/** A migrated embedded PostgreSQL for the log's tests, and the log computed the naive way to check it. */
final class LogDatabase implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final EmbeddedPostgres postgres;

    private LogDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    static LogDatabase start() throws Exception {
        LogDatabase db = new LogDatabase(EmbeddedPostgres.builder().start());
        try (Connection c = db.superuser()) {
            Migrations.applyAll(c);
        }
        return db;
    }

    Connection superuser() throws SQLException {
        return postgres.getPostgresDatabase().getConnection();
    }

    /** A connection in its own transaction (auto-commit off), as the vault's sequencer has. */
    Connection transaction() throws SQLException {
        Connection c = superuser();
        c.setAutoCommit(false);
        return c;
    }

    /** The log as V21 leaves it: empty. */
    void reset() throws SQLException {
        try (Connection c = superuser(); Statement s = c.createStatement()) {
            s.execute("truncate audit_owner_entry, audit_owner_chain, audit_deployment_entry, audit_pending, audit_leaf,"
                    + " audit_tile, audit_checkpoint");
            s.execute("update audit_head set tree_size = 0, root_hash = sha256(''::bytea), integrated_at = now()");
        }
    }

    /** Queues {@code n} random commitments directly (what appenders do) and returns them by entry id. */
    TreeMap<Long, byte[]> queue(int n) throws SQLException {
        byte[][] commitments = new byte[n][];
        for (int i = 0; i < n; i++) {
            commitments[i] = new byte[MerkleHash.SIZE];
            RANDOM.nextBytes(commitments[i]);
        }
        TreeMap<Long, byte[]> queued = new TreeMap<>();
        try (Connection c = superuser(); PreparedStatement ps = c.prepareStatement(
                "insert into audit_pending (entry_id, commitment) select nextval('audit_entry_id_seq'), m"
                        + " from unnest(?::bytea[]) as u(m) returning entry_id, commitment")) {
            ps.setArray(1, c.createArrayOf("bytea", commitments));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    queued.put(rs.getLong(1), rs.getBytes(2));
                }
            }
        }
        return queued;
    }

    /** Inserts owners (the chains reference them). */
    List<UUID> owners(int n) throws SQLException {
        List<UUID> owners = new ArrayList<>();
        try (Connection c = superuser(); PreparedStatement ps = c.prepareStatement("insert into owner values (?, ?, now())")) {
            for (int i = 0; i < n; i++) {
                UUID o = UUID.randomUUID();
                ps.setObject(1, o);
                ps.setString(2, "subject-" + o);
                ps.executeUpdate();
                owners.add(o);
            }
        }
        return owners;
    }

    /** The integrated leaves from {@code fromIndex} on: (entry id, leaf index), in leaf order. */
    List<long[]> leaves(long fromIndex) throws SQLException {
        List<long[]> out = new ArrayList<>();
        try (Connection c = superuser(); PreparedStatement ps = c.prepareStatement(
                "select entry_id, leaf_index from audit_leaf where leaf_index >= ? order by leaf_index")) {
            ps.setLong(1, fromIndex);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new long[] {rs.getLong(1), rs.getLong(2)});
                }
            }
        }
        return out;
    }

    /** [leaves, distinct entry ids, lowest index, highest index] of audit_leaf (-1 for none). */
    List<Long> leafSummary() throws SQLException {
        try (Connection c = superuser(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "select count(*), count(distinct entry_id), coalesce(min(leaf_index), -1), coalesce(max(leaf_index), -1)"
                        + " from audit_leaf")) {
            rs.next();
            return List.of(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4));
        }
    }

    long count(String table) throws SQLException {
        try (Connection c = superuser(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Everything the sequencer writes, as one comparable text. */
    String sequencerState() throws SQLException {
        try (Connection c = superuser(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                select (select tree_size || ':' || encode(root_hash, 'hex') || ':' || integrated_at from audit_head)
                    || '|' || coalesce((select md5(string_agg(tile_level || '/' || tile_index || '/' || width || '/'
                                        || encode(hashes, 'hex'), ',' order by tile_level, tile_index)) from audit_tile), '')
                    || '|' || coalesce((select md5(string_agg(entry_id || '=' || leaf_index, ',' order by entry_id))
                                        from audit_leaf), '')
                    || '|' || coalesce((select md5(string_agg(entry_id || '=' || encode(commitment, 'hex'), ','
                                        order by entry_id)) from audit_pending), '')
                """)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Override
    public void close() throws Exception {
        postgres.close();
    }

    /** RFC 6962 §2.1 MTH, recursively over the leaf hashes: the reference every stored root is held to. */
    static byte[] naiveRoot(List<byte[]> leafHashes, int size) {
        if (size == 0) {
            return MerkleHash.emptyRoot();
        }
        return mth(leafHashes, 0, size);
    }

    private static byte[] mth(List<byte[]> leaves, int from, int to) {
        int n = to - from;
        if (n == 1) {
            return leaves.get(from);
        }
        int k = Integer.highestOneBit(n - 1);
        return MerkleHash.node(mth(leaves, from, from + k), mth(leaves, from + k, to));
    }
}
