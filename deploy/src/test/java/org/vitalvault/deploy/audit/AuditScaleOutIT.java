package org.vitalvault.deploy.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vitalvault.deploy.TestFolders;
import org.vitalvault.deploy.stack.LocalStack;
import org.vitalvault.deploy.stack.ServiceProcess;
import org.vitalvault.deploy.stack.VaultClient;
import org.vitalvault.tlog.Checkpoint;
import org.vitalvault.tlog.MerkleVerifier;
import org.vitalvault.tlog.NoteKey;

/**
 * Issue 17: "two vault replicas appending concurrently produce one consistent log". Two replicas on
 * one PostgreSQL; owners grant and withdraw consent through both at once (each an audited owner
 * event), while a collector reads GET /audit/checkpoint from both. Once everything is integrated:
 * every entry has exactly one leaf and the leaf indexes are 0..n-1 without a gap; every owner's
 * chain is 1..last_seq without a gap; every checkpoint either replica issued (served, and stored in
 * audit_checkpoint) is signed by the one key and consistent with every other, by consistency proofs
 * from either replica checked with MerkleVerifier.
 */
class AuditScaleOutIT {

    private static final int OWNERS = 8;
    private static final int CYCLES = 10;
    private static final long TIMEOUT_MILLIS = 180_000;

    private static LocalStack stack;
    private static ServiceProcess vaultB;
    private static List<VaultClient> replicas;
    private static List<String> urls;

    @BeforeAll
    static void start() throws Exception {
        Path repo = Path.of(System.getProperty("vitalvault.repo", "..")).toAbsolutePath().normalize();
        stack = LocalStack.start(new LocalStack.Options(repo, TestFolders.create("audit-scale-out"), Optional.empty(),
                "postgres", "", Optional.empty(), Optional.empty(), Optional.empty(), 0, 0, freePort(), freePort(),
                Map.of()));
        int port = freePort();
        vaultB = stack.startExtraVault("b", port, freePort());
        urls = List.of(stack.vaultUrl(), "http://127.0.0.1:" + port);
        replicas = List.of(new VaultClient(urls.get(0)), new VaultClient(urls.get(1)));
    }

    @AfterAll
    static void stop() {
        if (vaultB != null) {
            vaultB.close();
        }
        if (stack != null) {
            try {
                stack.close();
            } finally {
                TestFolders.delete(stack.dataDir());
            }
        }
    }

    @Test
    void twoReplicasAppendingAtOnceProduceOneConsistentLog() throws Exception {
        UUID org = AuditHttp.researcher(replicas.get(0), replicas.get(1), "Two-replica Cardiology");
        Set<String> notes = ConcurrentHashMap.newKeySet();
        Thread collector = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    for (String url : urls) {
                        AuditHttp.checkpoint(url).ifPresent(notes::add);
                    }
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    // a replica busy for a moment; the next round reads it
                }
            }
        });
        collector.start();

        // Each owner alternates replicas; owners run in parallel on both.
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> work = new ArrayList<>();
        for (int i = 0; i < OWNERS; i++) {
            int o = i;
            work.add(pool.submit(() -> {
                VaultClient home = replicas.get(o % 2);
                String token = home.devToken("scale-audit-" + o + "-" + UUID.randomUUID(), "owner");
                UUID owner = home.registerOrFind(token);
                for (int c = 0; c < CYCLES; c++) {
                    UUID grant = AuditHttp.grant(replicas.get(c % 2), token, owner, org);
                    AuditHttp.withdraw(replicas.get((c + 1) % 2), token, owner, grant);
                }
                return null;
            }));
        }
        for (Future<?> f : work) {
            f.get();
        }
        pool.shutdown();

        // Integrated and checkpointed: nothing pending, and a checkpoint covers the whole tree.
        long leaves;
        long deadline = System.currentTimeMillis() + TIMEOUT_MILLIS;
        try (Connection db = database()) {
            while (true) {
                long pending = count(db, "select count(*) from audit_pending");
                leaves = count(db, "select count(*) from audit_leaf");
                long checkpointed = count(db, "select coalesce(max(tree_size), -1) from audit_checkpoint");
                if (pending == 0 && checkpointed == leaves) {
                    break;
                }
                if (System.currentTimeMillis() > deadline) {
                    fail(pending + " entries pending, " + leaves + " leaves, largest checkpoint " + checkpointed);
                }
                Thread.sleep(200);
            }
            String wholeTree = "\n" + stopSize(db) + "\n";
            for (String url : urls) {
                while (AuditHttp.checkpoint(url).map(n -> !n.contains(wholeTree)).orElse(true)) {
                    if (System.currentTimeMillis() > deadline) {
                        fail(url + " never served the checkpoint of the whole tree");
                    }
                    Thread.sleep(200);
                }
                notes.add(AuditHttp.checkpoint(url).orElseThrow());
            }
            collector.interrupt();
            collector.join();

            // Every entry has exactly one leaf; leaf indexes are 0..n-1 without a gap.
            long entries = count(db, "select (select count(*) from audit_owner_entry)"
                    + " + (select count(*) from audit_deployment_entry)");
            assertTrue(entries >= 2L * OWNERS * CYCLES, entries + " entries for " + 2 * OWNERS * CYCLES + " consent events");
            assertEquals(entries, leaves, "one leaf per entry");
            assertEquals(0, count(db, "select count(*) from (select entry_id from audit_owner_entry"
                    + " union all select entry_id from audit_deployment_entry) e"
                    + " left join audit_leaf l using (entry_id) where l.entry_id is null"), "an entry without a leaf");
            assertEquals(0, count(db, "select count(*) from audit_leaf l where not exists (select 1 from"
                    + " audit_owner_entry o where o.entry_id = l.entry_id) and not exists (select 1 from"
                    + " audit_deployment_entry d where d.entry_id = l.entry_id)"), "a leaf without an entry");
            assertEquals(leaves, count(db, "select count(distinct leaf_index) from audit_leaf"));
            assertEquals(0, count(db, "select coalesce(min(leaf_index), 0) from audit_leaf"));
            assertEquals(leaves - 1, count(db, "select max(leaf_index) from audit_leaf"));

            // Each owner's chain: seq 1..last_seq, each once, and the head agrees.
            assertEquals(0, count(db, "select count(*) from (select owner_id, count(*) n, count(distinct seq) d,"
                    + " min(seq) lo, max(seq) hi from audit_owner_entry group by owner_id) g"
                    + " join audit_owner_chain c using (owner_id)"
                    + " where g.n <> g.d or g.lo <> 1 or g.hi <> g.n or c.last_seq <> g.hi"), "an owner chain with a gap");

            try (Statement s = db.createStatement();
                    ResultSet r = s.executeQuery("select note from audit_checkpoint")) {
                while (r.next()) {
                    notes.add(r.getString(1));
                }
            }
        }

        // Every checkpoint is signed by the one key and consistent with every other.
        NoteKey key = AuditHttp.key(urls.get(0));
        assertEquals(key.verifierKey(), AuditHttp.key(urls.get(1)).verifierKey(), "both replicas sign with one key");
        TreeMap<Long, byte[]> roots = new TreeMap<>();
        for (String note : notes) {
            Checkpoint c = AuditHttp.open(note, key);
            byte[] earlier = roots.putIfAbsent(c.size(), c.rootHash());
            if (earlier != null) {
                assertArrayEquals(earlier, c.rootHash(), "two checkpoints of size " + c.size() + " differ");
            }
        }
        List<Long> sizes = new ArrayList<>(roots.keySet());
        int proofs = 0;
        for (int i = 0; i < sizes.size(); i++) {
            for (int j = i + 1; j < sizes.size(); j++) {
                long a = sizes.get(i);
                long b = sizes.get(j);
                if (a == 0) {
                    continue;
                }
                List<byte[]> proof = AuditHttp.consistency(urls.get((i + j) % 2), a, b);
                MerkleVerifier.verifyConsistency(a, b, proof, roots.get(a), roots.get(b));
                proofs++;
            }
        }
        System.out.printf("%d entries, %d distinct checkpoints (sizes %s), %d consistency proofs verified%n",
                leaves, sizes.size(), sizes, proofs);
        assertTrue(sizes.size() >= 2, "checkpoints were issued while the log grew");
    }

    private static long stopSize(Connection db) throws Exception {
        return count(db, "select max(tree_size) from audit_checkpoint");
    }

    private static long count(Connection db, String sql) throws Exception {
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    private static Connection database() throws Exception {
        return DriverManager.getConnection(stack.jdbcUrl(), "postgres", "");
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
