package org.vitalvault.store.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vitalvault.store.audit.AuditAppender.Appended;
import org.vitalvault.tlog.MerkleHash;
import org.vitalvault.tlog.MerkleVerifier;

/**
 * Erasing an owner deletes their entries and chain, and nothing of the tree: the commitments stay in
 * the tiles, so the head, every checkpoint and every proof (the erased owner's leaves included) stay valid.
 */
class AuditErasureTest {

    private static LogDatabase db;

    @BeforeAll
    static void start() throws Exception {
        db = LogDatabase.start();
        db.reset();
    }

    @AfterAll
    static void stop() throws Exception {
        db.close();
    }

    @Test
    void anErasedOwnersEntriesAreGoneAndEveryProofStillVerifies() throws Exception {
        List<UUID> owners = db.owners(2);
        UUID erased = owners.get(0);
        UUID kept = owners.get(1);
        List<Appended> appended = new ArrayList<>();
        try (Connection c = db.transaction()) {
            for (int i = 0; i < 40; i++) {
                appended.addAll(AuditAppender.appendForOwners(c, i % 3 == 0 ? List.of(erased) : owners,
                        (o, seq, prev) -> ("{\"seq\":" + seq + "}").getBytes(StandardCharsets.UTF_8),
                        (os, plains) -> plains.toArray(new byte[0][])));
                appended.add(AuditAppender.appendDeployment(c, "TEST", Instant.now(), new byte[] {(byte) i}));
                c.commit();
            }
            AuditIntegrator.integrate(c, 1000).orElseThrow();
            c.commit();
        }
        // one entry more, still queued when the owner erases
        try (Connection c = db.transaction()) {
            appended.addAll(AuditAppender.appendForOwners(c, List.of(erased), (o, seq, prev) -> new byte[] {9},
                    (os, plains) -> plains.toArray(new byte[0][])));
            c.commit();
        }
        TreeHead before;
        try (Connection c = db.superuser()) {
            before = AuditTiles.head(c);
        }

        try (Connection c = db.transaction()) {
            Map<String, Integer> counts = new AuditOwnerEraser().erase(c, erased);
            c.commit();
            long erasedEntries = appended.stream().filter(a -> erased.equals(a.owner())).count();
            assertEquals(Map.of("audit_owner_entry", (int) erasedEntries, "audit_owner_chain", 1), counts);
        }
        assertEquals(0, rowsOf("audit_owner_entry", erased));
        assertEquals(0, rowsOf("audit_owner_chain", erased));
        assertEquals(appended.stream().filter(a -> kept.equals(a.owner())).count(), rowsOf("audit_owner_entry", kept));

        try (Connection c = db.transaction()) {
            // the queued commitment of the erased owner is integrated all the same
            AuditIntegrator.integrate(c, 1000).orElseThrow();
            c.commit();
        }
        try (Connection c = db.superuser()) {
            TreeHead head = AuditTiles.head(c);
            assertEquals(appended.size(), head.size());
            MerkleVerifier.verifyConsistency(before.size(), head.size(),
                    AuditTree.consistency(c, before.size(), head.size()), before.rootHash(), head.rootHash());
            Map<Long, Long> leafIndexes = AuditTree.leafIndexes(c, appended.stream().map(Appended::entryId).toList());
            List<Long> indexes = appended.stream().map(a -> leafIndexes.get(a.entryId())).toList();
            List<List<byte[]>> proofs = AuditTree.inclusionProofs(c, head.size(), indexes);
            List<byte[]> leafHashes = new ArrayList<>(java.util.Collections.nCopies(appended.size(), (byte[]) null));
            for (int i = 0; i < appended.size(); i++) {
                byte[] leafHash = MerkleHash.leaf(appended.get(i).commitment());
                leafHashes.set(indexes.get(i).intValue(), leafHash);
                MerkleVerifier.verifyInclusion(leafHash, indexes.get(i), head.size(), proofs.get(i), head.rootHash());
            }
            assertArrayEquals(LogDatabase.naiveRoot(leafHashes, leafHashes.size()), head.rootHash());
        }
    }

    private static long rowsOf(String table, UUID owner) throws Exception {
        try (Connection c = db.superuser(); PreparedStatement ps = c.prepareStatement(
                "select count(*) from " + table + " where owner_id = ?")) {
            ps.setObject(1, owner);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
