package org.vitalvault.store.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vitalvault.store.audit.AuditIntegrator.Integration;
import org.vitalvault.tlog.MerkleHash;
import org.vitalvault.tlog.MerkleProofs;
import org.vitalvault.tlog.MerkleVerifier;
import org.vitalvault.tlog.MissingNodeException;

/**
 * The sequencer on a real PostgreSQL, held to the naive RFC 6962 tree of every leaf after every call:
 * batches across tile boundaries (256 leaves) and tile-level boundaries (65,536), proofs for sampled
 * leaves and sizes, one leaf per entry with consecutive indexes, nothing left queued.
 */
class AuditIntegratorTest {

    private static LogDatabase db;

    /** Leaf hashes in leaf order, as the sequencer must have ordered them (queued entries by id). */
    private final List<byte[]> leafHashes = new ArrayList<>();
    private final List<Long> entryIds = new ArrayList<>();
    private final Map<Integer, byte[]> naiveRoots = new java.util.HashMap<>();
    private final Random random = new Random(17);

    @BeforeAll
    static void start() throws Exception {
        db = LogDatabase.start();
    }

    @AfterAll
    static void stop() throws Exception {
        db.close();
    }

    @BeforeEach
    void emptyLog() throws Exception {
        db.reset();
    }

    @Test
    void everyIntegrationAcrossTileAndTileLevelBoundariesMatchesTheNaiveTree() throws Exception {
        // Sizes after each step: 1, 256 (first full tile, first level-1 hash), 512, 769, then 65,536
        // more in calls of at most 20,000 (66,305 crosses 65,536: the first level-2 hash), then many small.
        for (int batch : new int[] {1, 255, 256, 257}) {
            queue(batch);
            assertEquals(batch, integrateAndCheck(batch + 10).integrated());
        }
        queue(65_536);
        int left = 65_536;
        while (left > 0) {
            Integration done = integrateAndCheck(20_000);
            assertEquals(Math.min(left, 20_000), done.integrated());
            left -= done.integrated();
        }
        assertTrue(leafHashes.size() > 65_536);
        for (int call = 0; call < 12; call++) {
            queue(1 + random.nextInt(700));
            integrateAndCheck(1 + random.nextInt(1000));
        }
        while (db.count("audit_pending") > 0) {
            integrateAndCheck(1000);
        }
        assertEquals(0, integrateAndCheck(1000).integrated(), "nothing queued: the head stays");
    }

    @Test
    void aRolledBackIntegrationLeavesHeadTilesLeavesAndPendingAsTheyWere() throws Exception {
        queue(300);
        integrateAndCheck(300);
        queue(700);
        String before = db.sequencerState();
        try (Connection c = db.transaction()) {
            assertEquals(700, AuditIntegrator.integrate(c, 1000).orElseThrow().integrated());
            c.rollback();
        }
        assertEquals(before, db.sequencerState());
        assertEquals(700, db.count("audit_pending"));
        integrateAndCheck(1000);
    }

    @Test
    void theLoserOfTheLockReturnsEmptyAndChangesNothing() throws Exception {
        queue(10);
        try (Connection winner = db.transaction(); Connection loser = db.transaction()) {
            assertEquals(10, AuditIntegrator.integrate(winner, 100).orElseThrow().integrated());
            String before = db.sequencerState();
            assertEquals(Optional.empty(), AuditIntegrator.integrate(loser, 100));
            loser.commit();
            assertEquals(before, db.sequencerState(), "the loser wrote nothing");
            winner.commit();
        }
        assertEquals(10, db.leaves(0).size(), "the winner's integration committed");
        assertEquals(0, db.count("audit_pending"));
    }

    @Test
    void aSequencerOutsideATransactionIsRefused() throws Exception {
        try (Connection c = db.superuser()) {
            assertThrows(java.sql.SQLException.class, () -> AuditIntegrator.integrate(c, 10));
        }
    }

    @Test
    void aNarrowedTileStopsTheSequencerInsteadOfForkingTheTree() throws Exception {
        queue(300);
        integrateAndCheck(300);
        try (Connection c = db.superuser(); Statement s = c.createStatement()) {
            // an intruder drops the last hash of the partial tile (0, 1) that holds leaves 256..299
            s.execute("update audit_tile set width = width - 1, hashes = substring(hashes from 1 for 32 * (width - 1))"
                    + " where tile_level = 0 and tile_index = 1");
        }
        queue(1);
        try (Connection c = db.transaction()) {
            assertThrows(MissingNodeException.class, () -> AuditIntegrator.integrate(c, 10));
            c.rollback();
        }
        try (Connection c = db.superuser()) {
            assertThrows(MissingNodeException.class, () -> MerkleProofs.root(300, new AuditTiles(c)));
            // leaf 0's proof needs the hash of leaves 256..299, which folds the dropped one
            assertThrows(MissingNodeException.class, () -> MerkleProofs.inclusion(0, 300, new AuditTiles(c)));
        }
    }

    @Test
    void aProofForATreeLargerThanTheIntegratedOneIsMissingNodesNotWrong() throws Exception {
        queue(100);
        integrateAndCheck(100);
        try (Connection c = db.superuser()) {
            assertThrows(MissingNodeException.class, () -> MerkleProofs.root(101, new AuditTiles(c)));
            assertThrows(MissingNodeException.class, () -> AuditTree.inclusionProofs(c, 200, List.of(5L)));
            assertThrows(MissingNodeException.class, () -> AuditTree.consistency(c, 50, 101));
        }
    }

    @Test
    void aPageOfProofsIsAnsweredAndEveryProofVerifies() throws Exception {
        queue(5000);
        integrateAndCheck(5000);
        List<Long> page = new ArrayList<>();
        for (long i = 0; i < 5000; i += 5) {
            page.add(i);
        }
        try (Connection c = db.superuser()) {
            List<List<byte[]>> proofs = AuditTree.inclusionProofs(c, 4999, page.subList(0, 999));
            byte[] root = naiveRoot(4999);
            for (int i = 0; i < 999; i++) {
                long index = page.get(i);
                MerkleVerifier.verifyInclusion(leafHashes.get((int) index), index, 4999, proofs.get(i), root);
            }
            Map<Long, Long> indexes = AuditTree.leafIndexes(c, List.of(entryIds.get(0), entryIds.get(4321), -1L));
            assertEquals(Map.of(entryIds.get(0), 0L, entryIds.get(4321), 4321L), indexes);
        }
    }

    private void queue(int n) throws Exception {
        TreeMap<Long, byte[]> queued = db.queue(n);
        assertTrue(entryIds.isEmpty() || queued.firstKey() > entryIds.get(entryIds.size() - 1));
        queued.forEach((id, commitment) -> {
            entryIds.add(id);
            leafHashes.add(MerkleHash.leaf(commitment));
        });
    }

    /** Integrates once and holds the stored log to the naive one. */
    private Integration integrateAndCheck(int max) throws Exception {
        long sizeBefore;
        Integration done;
        try (Connection c = db.transaction()) {
            sizeBefore = AuditTiles.head(c).size();
            done = AuditIntegrator.integrate(c, max).orElseThrow();
            c.commit();
        }
        int size = (int) done.head().size();
        assertEquals(sizeBefore + done.integrated(), size);
        assertEquals(Math.min(max, entryIds.size() - sizeBefore), done.integrated(), "takes what is queued, up to max");
        assertArrayEquals(naiveRoot(size), done.head().rootHash(), "root of size " + size);
        assertEquals(entryIds.size() - size, db.count("audit_pending"), "what was integrated is no longer queued");

        // unique entry ids and unique leaf indexes (the keys), size of them, from 0 to size - 1: consecutive
        assertEquals(List.of((long) size, (long) size, 0L, size - 1L), db.leafSummary());
        List<long[]> added = db.leaves(sizeBefore);
        assertEquals(done.integrated(), added.size());
        for (long[] leaf : added) {
            assertEquals(entryIds.get((int) leaf[1]), leaf[0], "leaf " + leaf[1] + " is the entry queued in that place");
        }

        try (Connection c = db.superuser()) {
            TreeHead head = AuditTiles.head(c);
            assertEquals(size, head.size());
            assertArrayEquals(done.head().rootHash(), head.rootHash());
            AuditTiles tiles = new AuditTiles(c);
            assertArrayEquals(naiveRoot(size), MerkleProofs.root(size, tiles));
            TreeSet<Integer> sizes = new TreeSet<>(List.of(size));
            for (int s : new int[] {1, 2, 255, 256, 257, 65_535, 65_536, 65_537, (int) sizeBefore}) {
                if (s >= 1 && s <= size) {
                    sizes.add(s);
                }
            }
            sizes.add(1 + random.nextInt(size));
            for (int s : sizes) {
                byte[] root = naiveRoot(s);
                List<Long> indexes = new ArrayList<>(List.of(0L, (long) s - 1, (long) s / 2));
                for (int i = 0; i < 5; i++) {
                    indexes.add((long) random.nextInt(s));
                }
                List<List<byte[]>> proofs = AuditTree.inclusionProofs(c, s, indexes);
                for (int i = 0; i < indexes.size(); i++) {
                    long index = indexes.get(i);
                    MerkleVerifier.verifyInclusion(leafHashes.get((int) index), index, s, proofs.get(i), root);
                }
                long one = indexes.get(3);
                MerkleVerifier.verifyInclusion(leafHashes.get((int) one), one, s,
                        MerkleProofs.inclusion(one, s, tiles), root);
                if (s < size) {
                    MerkleVerifier.verifyConsistency(s, size, AuditTree.consistency(c, s, size), root, naiveRoot(size));
                }
            }
        }
        return done;
    }

    private byte[] naiveRoot(int size) {
        return naiveRoots.computeIfAbsent(size, s -> LogDatabase.naiveRoot(leafHashes, s));
    }
}
