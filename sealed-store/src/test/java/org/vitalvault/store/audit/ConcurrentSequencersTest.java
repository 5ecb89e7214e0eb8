package org.vitalvault.store.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vitalvault.store.audit.AuditAppender.Appended;
import org.vitalvault.tlog.MerkleHash;
import org.vitalvault.tlog.MerkleProofs;
import org.vitalvault.tlog.MerkleVerifier;

/**
 * Two vault replicas' sequencers on two connections, many rounds, while events keep appending
 * entries: one log comes out, every committed entry in it exactly once, in a gapless order, with
 * the root the naive tree of those leaves has.
 */
class ConcurrentSequencersTest {

    private static LogDatabase db;

    @BeforeAll
    static void start() throws Exception {
        db = LogDatabase.start();
    }

    @BeforeEach
    void emptyLog() throws Exception {
        db.reset();
    }

    @AfterAll
    static void stop() throws Exception {
        db.close();
    }

    @Test
    void twoSequencersAndFourAppendersMakeOneConsistentLog() throws Exception {
        List<UUID> owners = db.owners(8);
        Map<Long, byte[]> committed = new ConcurrentHashMap<>();
        AtomicBoolean appending = new AtomicBoolean(true);
        AtomicInteger lostLocks = new AtomicInteger();
        AtomicInteger integrations = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> appenders = new ArrayList<>();
            for (int a = 0; a < 4; a++) {
                int seed = a;
                appenders.add(pool.submit(() -> append(owners, committed, appending, new Random(seed))));
            }
            List<Future<?>> sequencers = new ArrayList<>();
            for (int s = 0; s < 2; s++) {
                int seed = 100 + s;
                sequencers.add(pool.submit(() -> sequence(150, lostLocks, integrations, new Random(seed))));
            }
            for (Future<?> f : sequencers) {
                f.get(5, TimeUnit.MINUTES);
            }
            appending.set(false);
            for (Future<?> f : appenders) {
                f.get(1, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        // drain what the appenders queued last
        try (Connection c = db.transaction()) {
            while (AuditIntegrator.integrate(c, 10_000).orElseThrow().integrated() > 0) {
                c.commit();
            }
            c.commit();
        }
        assertTrue(integrations.get() > 0, "some rounds integrated");

        List<long[]> leaves = db.leaves(0);
        int n = leaves.size();
        assertEquals(committed.size(), n, "every committed entry has a leaf");
        assertEquals(List.of((long) n, (long) n, 0L, n - 1L), db.leafSummary(), "one leaf each, indexes 0..n-1");
        assertEquals(0, db.count("audit_pending"));
        List<byte[]> leafHashes = new ArrayList<>(n);
        HashSet<Long> seen = new HashSet<>();
        for (long[] leaf : leaves) {
            assertTrue(seen.add(leaf[0]));
            byte[] commitment = committed.get(leaf[0]);
            assertTrue(commitment != null, "leaf " + leaf[1] + " is an entry some transaction committed");
            leafHashes.add(MerkleHash.leaf(commitment));
        }
        byte[] root = LogDatabase.naiveRoot(leafHashes, n);
        try (Connection c = db.superuser()) {
            TreeHead head = AuditTiles.head(c);
            assertEquals(n, head.size());
            assertArrayEquals(root, head.rootHash());
            assertArrayEquals(root, MerkleProofs.root(n, new AuditTiles(c)));
            List<Long> indexes = List.of(0L, (long) n / 3, (long) n / 2, n - 1L);
            List<List<byte[]>> proofs = AuditTree.inclusionProofs(c, n, indexes);
            for (int i = 0; i < indexes.size(); i++) {
                long index = indexes.get(i);
                MerkleVerifier.verifyInclusion(leafHashes.get((int) index), index, n, proofs.get(i), root);
            }
        }
        System.out.printf("concurrent sequencers: %d leaves, %d integrating rounds, %d lost the lock%n", n,
                integrations.get(), lostLocks.get());
    }

    @Test
    void theSequencerThatLosesTheLockSeesEmptyWhileTheOtherHoldsIt() throws Exception {
        db.queue(3);
        try (Connection first = db.transaction(); Connection second = db.transaction()) {
            assertTrue(AuditIntegrator.integrate(first, 10).isPresent());
            assertEquals(Optional.empty(), AuditIntegrator.integrate(second, 10));
            first.commit();
            // the lock is transaction-scoped: once the first commits, the second's next transaction may take it
            second.rollback();
            assertTrue(AuditIntegrator.integrate(second, 10).isPresent());
            second.commit();
        }
    }

    private static void sequence(int rounds, AtomicInteger lost, AtomicInteger integrated, Random random) {
        try (Connection c = db.transaction()) {
            for (int r = 0; r < rounds; r++) {
                Optional<AuditIntegrator.Integration> done = AuditIntegrator.integrate(c, 1 + random.nextInt(400));
                if (done.isEmpty()) {
                    lost.incrementAndGet();
                } else if (done.get().integrated() > 0) {
                    integrated.incrementAndGet();
                }
                c.commit();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void append(List<UUID> owners, Map<Long, byte[]> committed, AtomicBoolean running, Random random) {
        try (Connection c = db.transaction()) {
            while (running.get()) {
                List<Appended> appended = new ArrayList<>();
                if (random.nextInt(3) == 0) {
                    appended.add(AuditAppender.appendDeployment(c, "TEST_DEPLOYMENT", Instant.now(),
                            "{\"v\":1}".getBytes(StandardCharsets.UTF_8)));
                }
                List<UUID> some = new ArrayList<>();
                for (UUID o : owners) {
                    if (random.nextInt(3) == 0) {
                        some.add(o);
                    }
                }
                appended.addAll(AuditAppender.appendForOwners(c, some,
                        (o, seq, prev) -> ("{\"seq\":" + seq + "}").getBytes(StandardCharsets.UTF_8),
                        (os, plains) -> plains.toArray(new byte[0][])));
                if (random.nextInt(10) == 0) {
                    c.rollback(); // a rolled-back event leaves no entry
                    continue;
                }
                c.commit();
                appended.forEach(a -> committed.put(a.entryId(), a.commitment()));
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
