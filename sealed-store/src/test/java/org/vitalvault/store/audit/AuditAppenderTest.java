package org.vitalvault.store.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vitalvault.store.audit.AuditAppender.Appended;

/**
 * Owners' chains under concurrent appends: transactions appending for overlapping owner sets (in any
 * order the caller names them) neither deadlock nor skip a seq, and every entry's body is handed the
 * commitment of the owner's entry before it.
 */
class AuditAppenderTest {

    private static LogDatabase db;

    /** What one body callback was handed. */
    private record Handed(UUID owner, long seq, byte[] prev) {
    }

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
    void overlappingOwnerSetsAppendedConcurrentlyNeitherDeadlockNorLeaveAGapAndEachPrevIsTheLastCommitment()
            throws Exception {
        List<UUID> owners = db.owners(6);
        int threads = 4;
        int transactions = 60;
        List<Handed> handed = Collections.synchronizedList(new ArrayList<>());
        List<Appended> committed = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> all = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Random random = new Random(t);
                all.add(pool.submit(() -> {
                    go.await();
                    try (Connection c = db.transaction()) {
                        for (int i = 0; i < transactions; i++) {
                            // overlapping sets named in a random order: the appender sorts them
                            List<UUID> some = new ArrayList<>(owners);
                            Collections.shuffle(some, random);
                            some = some.subList(0, 2 + random.nextInt(4));
                            List<Handed> mine = new ArrayList<>();
                            List<Appended> appended = AuditAppender.appendForOwners(c, some, (o, seq, prev) -> {
                                mine.add(new Handed(o, seq, prev));
                                return ("{\"owner\":\"" + o + "\",\"seq\":" + seq + "}").getBytes(StandardCharsets.UTF_8);
                            }, (os, plains) -> plains.toArray(new byte[0][]));
                            c.commit();
                            handed.addAll(mine);
                            committed.addAll(appended);
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : all) {
                f.get(3, TimeUnit.MINUTES); // a deadlock would surface as PostgreSQL's 40P01 here
            }
        } finally {
            pool.shutdownNow();
        }

        Map<UUID, Map<Long, byte[]>> commitments = new HashMap<>();
        for (Appended a : committed) {
            commitments.computeIfAbsent(a.owner(), o -> new HashMap<>()).put(a.seq(), a.commitment());
        }
        for (Handed h : handed) {
            if (h.seq() == 1) {
                assertNull(h.prev(), "the first entry of " + h.owner() + " has no prev");
            } else {
                assertArrayEquals(commitments.get(h.owner()).get(h.seq() - 1), h.prev(),
                        "prev of " + h.owner() + " seq " + h.seq());
            }
        }
        for (UUID owner : owners) {
            List<Long> seqs = seqsOf(owner);
            int k = commitments.getOrDefault(owner, Map.of()).size();
            assertEquals(java.util.stream.LongStream.rangeClosed(1, k).boxed().toList(), seqs, "seqs of " + owner);
            try (Connection c = db.superuser(); PreparedStatement ps = c.prepareStatement(
                    "select last_seq, last_commitment from audit_owner_chain where owner_id = ?")) {
                ps.setObject(1, owner);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertEquals(k, rs.getLong(1));
                    assertArrayEquals(commitments.get(owner).get((long) k), rs.getBytes(2));
                }
            }
        }
        assertEquals(committed.size(), db.count("audit_pending"), "each committed entry is queued once");
    }

    @Test
    void aRolledBackAppendLeavesNoEntryAndTheNextTakesItsSeq() throws Exception {
        UUID owner = db.owners(1).get(0);
        try (Connection c = db.transaction()) {
            AuditAppender.appendForOwners(c, List.of(owner), (o, seq, prev) -> new byte[] {1},
                    (os, plains) -> plains.toArray(new byte[0][]));
            c.rollback();
            Appended next = AuditAppender.appendForOwners(c, List.of(owner, owner), (o, seq, prev) -> new byte[] {2},
                    (os, plains) -> plains.toArray(new byte[0][])).get(0);
            c.commit();
            assertEquals(1, next.seq(), "duplicates count once, and the rolled-back seq is reused");
        }
        assertEquals(List.of(1L), seqsOf(owner));
    }

    private static List<Long> seqsOf(UUID owner) throws Exception {
        List<Long> seqs = new ArrayList<>();
        try (Connection c = db.superuser(); PreparedStatement ps = c.prepareStatement(
                "select seq from audit_owner_entry where owner_id = ? order by seq")) {
            ps.setObject(1, owner);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    seqs.add(rs.getLong(1));
                }
            }
        }
        return seqs;
    }
}
