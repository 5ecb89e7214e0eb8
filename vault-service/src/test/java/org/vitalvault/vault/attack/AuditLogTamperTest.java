package org.vitalvault.vault.attack;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vitalvault.researcher.audit.AuditVerifier;
import org.vitalvault.researcher.audit.AuditVerifier.Report;
import org.vitalvault.researcher.audit.AuditVerifier.Status;
import org.vitalvault.tlog.AuditCommitment;
import org.vitalvault.tlog.MerkleHash;
import org.vitalvault.tlog.NoteKey;
import org.vitalvault.vault.audit.AuditKind;
import org.vitalvault.vault.audit.AuditLog;
import org.vitalvault.vault.audit.tree.AuditSequencer;
import org.vitalvault.vault.audit.tree.CheckpointSigner;
import org.vitalvault.vault.sealing.OwnerTextSeal;
import org.vitalvault.vault.support.ConsentFixtures;
import org.vitalvault.vault.support.ConsentFixtures.TestOwner;

/**
 * Issue 17's promise on the real system: changing, deleting, reordering or inserting any log row,
 * or rewinding the tree, is detected by the owner's offline verifier ({@link AuditVerifier}, what
 * {@code deploy/verify-audit.sh} runs) from a checkpoint the owner kept before. Each case starts
 * from the same honest log (an owner with five entries interleaved with another owner's, a held
 * checkpoint after three, a newer one after five), tampers with the tables in plain SQL — as an
 * operator or an intruder with the database can — fetches the owner's audit again and expects
 * FAILED with the reason. The operator also holds the signing key: where it rewrites history and
 * has the vault sign the result, the held checkpoint's consistency is what catches it. The audit
 * tables are put back after each case, so other tests see the honest log.
 */
@QuarkusTest
class AuditLogTamperTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    AuditLog log;

    @Inject
    AuditSequencer sequencer;

    @Inject
    CheckpointSigner signer;

    @Inject
    OwnerTextSeal seal;

    @Inject
    AgroalDataSource db;

    private TestOwner owner;
    private TestOwner other;
    private NoteKey key;
    private String held;
    private long heldSize;

    /** One of the owner's entries as stored. */
    private record Row(long seq, long entryId, long leafIndex) {
    }

    @BeforeEach
    void anHonestLogAndACheckpointTheOwnerKept() throws Exception {
        owner = ConsentFixtures.newOwner();
        other = ConsentFixtures.newOwner();
        for (int i = 0; i < 3; i++) {
            append(owner.id(), i);
            append(other.id(), i);
        }
        publish();
        key = NoteKey.parse(JSON.readTree(given().get("/audit/key").then().statusCode(200).extract().asString())
                .get("verifierKey").asText());
        JsonNode first = audit();
        held = first.get("checkpoint").asText();
        heldSize = first.get("treeSize").asLong();
        assertTrue(AuditVerifier.verify(first, key, null, owner.id(), 0).verified(), "the first audit verifies");
        append(owner.id(), 3);
        append(other.id(), 3);
        append(owner.id(), 4);
        publish();
        try (Connection c = db.getConnection()) {
            LogOperator.backup(c);
        }
    }

    @AfterEach
    void putTheHonestLogBack() throws SQLException {
        try (Connection c = db.getConnection()) {
            LogOperator.restore(c);
        }
    }

    @Test
    void theHonestLogVerifiesFromTheHeldCheckpoint() throws Exception {
        Report r = verify();
        assertTrue(r.verified(), String.join("\n", r.lines()));
        assertEquals(5, r.count(Status.VERIFIED));
        assertTrue(r.consistencyLine().startsWith("CONSISTENCY VERIFIED held size=" + heldSize), r.consistencyLine());
    }

    @Test
    void aChangedTileByteOnTheOwnersPathIsDetected() throws Exception {
        Row first = rows().get(0);
        long sibling = first.leafIndex() ^ 1;
        try (Connection c = db.getConnection()) {
            byte[] tile = LogOperator.bytes(c, "select hashes from audit_tile where tile_level = 0 and tile_index = ?", sibling >> 8);
            tile[(int) (sibling & 255) * 32 + 7] ^= 0x20;
            assertEquals(1, LogOperator.update(c, "update audit_tile set hashes = ? where tile_level = 0 and tile_index = ?",
                    tile, sibling >> 8));
        }
        assertDetected(verify(), "FAILED seq=1 not in the signed tree");
    }

    @Test
    void aDeletedLeafRowIsDetected() throws Exception {
        List<Row> rows = rows();
        try (Connection c = db.getConnection()) {
            assertEquals(1, LogOperator.update(c, "delete from audit_leaf where entry_id = ?", rows.get(1).entryId()));
        }
        assertDetected(verify(), "FAILED seq=3 in the tree at leaf " + rows.get(2).leafIndex()
                + " while the earlier seq 2 is shown as not integrated");
    }

    @Test
    void swappedLeafIndexesAreDetected() throws Exception {
        List<Row> rows = rows();
        Row a = rows.get(1);
        Row b = rows.get(2);
        try (Connection c = db.getConnection()) {
            LogOperator.update(c, "update audit_leaf set leaf_index = ? where entry_id = ?", Long.MAX_VALUE, a.entryId());
            LogOperator.update(c, "update audit_leaf set leaf_index = ? where entry_id = ?", a.leafIndex(), b.entryId());
            LogOperator.update(c, "update audit_leaf set leaf_index = ? where entry_id = ?", b.leafIndex(), a.entryId());
        }
        assertDetected(verify(), "FAILED seq=2 not in the signed tree");
    }

    @Test
    void aDeletedOwnerEntryIsAGapInTheChain() throws Exception {
        try (Connection c = db.getConnection()) {
            assertEquals(1, LogOperator.update(c, "delete from audit_owner_entry where owner_id = ? and seq = 2", owner.id()));
        }
        assertDetected(verify(), "FAILED seq=3 seq 2 missing (a gap in the chain)");
    }

    @Test
    void reorderedSeqsAreDetected() throws Exception {
        try (Connection c = db.getConnection()) {
            LogOperator.update(c, "update audit_owner_entry set seq = 1000 where owner_id = ? and seq = 2", owner.id());
            LogOperator.update(c, "update audit_owner_entry set seq = 2 where owner_id = ? and seq = 3", owner.id());
            LogOperator.update(c, "update audit_owner_entry set seq = 3 where owner_id = ? and seq = 1000", owner.id());
        }
        assertDetected(verify(), "FAILED seq=2 ");
    }

    @Test
    void aSealedEntryReplacedByAnotherOfTheOwnersIsDetected() throws Exception {
        try (Connection c = db.getConnection()) {
            LogOperator.update(c, "update audit_owner_entry set sealed = (select sealed from audit_owner_entry where owner_id = ?"
                    + " and seq = 1) where owner_id = ? and seq = 2", owner.id(), owner.id());
        }
        assertDetected(verify(), "FAILED seq=2 not in the signed tree");
    }

    @Test
    void anotherOwnersSealedEntryCopiedInIsDetected() throws Exception {
        try (Connection c = db.getConnection()) {
            LogOperator.update(c, "update audit_owner_entry set sealed = (select sealed from audit_owner_entry where owner_id = ?"
                    + " and seq = 1) where owner_id = ? and seq = 2", other.id(), owner.id());
        }
        Response response = fetch();
        Report r = AuditVerifier.verify(JSON.readTree(response.asString()), key, held, owner.id(), 0);
        assertFalse(r.verified(), String.join("\n", r.lines()));
        // It cannot even be opened under this owner's key (sealing binds the owner): the vault either
        // fails to answer — the owner gets no verifiable audit at all — or serves something refused.
        if (response.statusCode() == 200) {
            assertDetected(r, "FAILED seq=2");
        } else {
            assertDetected(r, "checkpoint: the response has no checkpoint");
        }
    }

    @Test
    void aLeafInsertedIntoHistoryAndSignedWithTheVaultsKeyIsDetected() throws Exception {
        Row second = rows().get(1);
        try (Connection c = db.getConnection()) {
            List<byte[]> leaves = new ArrayList<>(LogOperator.leafHashes(c, LogOperator.headSize(c)));
            leaves.add((int) second.leafIndex(), MerkleHash.leaf(AuditCommitment.of(new byte[32], "{}".getBytes())));
            LogOperator.update(c, "update audit_leaf set leaf_index = leaf_index + 4000000000000 where leaf_index >= ?",
                    second.leafIndex());
            LogOperator.update(c, "update audit_leaf set leaf_index = leaf_index - 4000000000000 + 1 where leaf_index >= 4000000000000");
            LogOperator.writeTree(c, leaves);
            LogOperator.dropCheckpointsAbove(c, -1);
        }
        assertEquals(CheckpointSigner.Outcome.SIGNED, signer.signIfGrown(), "the vault signs what its tables say");
        Report r = verify();
        assertTrue(r.checkpointLine().startsWith("CHECKPOINT VERIFIED"), "the forged head is genuinely signed");
        assertEquals(5, r.count(Status.VERIFIED), "every entry is in the forged tree: " + String.join("\n", r.lines()));
        assertDetected(r, "consistency: the new tree does not extend the held one (history rewritten)");
    }

    @Test
    void anEntryRewrittenWithItsChainAndResignedWithTheVaultsKeyIsDetected() throws Exception {
        // The operator changes what the owner's second entry says, re-chains the entries after it,
        // re-seals them, rebuilds the tree and has the vault sign it: the page itself is flawless.
        List<Row> rows = rows();
        try (Connection c = db.getConnection()) {
            List<byte[]> leaves = new ArrayList<>(LogOperator.leafHashes(c, LogOperator.headSize(c)));
            byte[] prev = null;
            for (Row row : rows) {
                byte[] sealed = LogOperator.bytes(c, "select sealed from audit_owner_entry where owner_id = ? and seq = ?",
                        owner.id(), row.seq());
                byte[] plain = seal.openBytes(owner.id(), OwnerTextSeal.Purpose.AUDIT_ENTRY, sealed);
                byte[] salt = Arrays.copyOf(plain, AuditCommitment.SALT_SIZE);
                byte[] entry = Arrays.copyOfRange(plain, AuditCommitment.SALT_SIZE, plain.length);
                if (row.seq() >= 2) {
                    ObjectNode json = (ObjectNode) JSON.readTree(entry);
                    if (row.seq() == 2) {
                        ((ObjectNode) json.get("details")).put("test", "rewritten by the operator");
                    }
                    json.put("prev", Base64.getEncoder().encodeToString(prev));
                    entry = JSON.writeValueAsBytes(json);
                    salt = AuditCommitment.newSalt();
                    byte[] both = new byte[salt.length + entry.length];
                    System.arraycopy(salt, 0, both, 0, salt.length);
                    System.arraycopy(entry, 0, both, salt.length, entry.length);
                    byte[] resealed = seal.sealBytesEach(List.of(owner.id()), OwnerTextSeal.Purpose.AUDIT_ENTRY, List.of(both))[0];
                    LogOperator.update(c, "update audit_owner_entry set sealed = ? where owner_id = ? and seq = ?", resealed,
                            owner.id(), row.seq());
                    leaves.set((int) row.leafIndex(), MerkleHash.leaf(AuditCommitment.of(salt, entry)));
                }
                prev = AuditCommitment.of(salt, entry);
            }
            LogOperator.update(c, "update audit_owner_chain set last_commitment = ? where owner_id = ?", prev, owner.id());
            LogOperator.writeTree(c, leaves);
            LogOperator.dropCheckpointsAbove(c, -1);
        }
        assertEquals(CheckpointSigner.Outcome.SIGNED, signer.signIfGrown());
        Report r = verify();
        assertEquals(5, r.count(Status.VERIFIED), "the rewritten page is self-consistent: " + String.join("\n", r.lines()));
        assertTrue(r.entries().stream().allMatch(e -> e.status() == Status.VERIFIED));
        assertDetected(r, "consistency: the new tree does not extend the held one (history rewritten)");
        // Without the held checkpoint nothing would show it: that is what keeping it is for.
        assertTrue(AuditVerifier.verify(JSON.readTree(fetch().asString()), key, null, owner.id(), 0).verified());
    }

    @Test
    void aTreeRewoundBelowTheHeldCheckpointAndResignedIsDetected() throws Exception {
        long k = rows().get(2).leafIndex();    // drop the owner's third entry and everything after it
        assertTrue(k < heldSize);
        try (Connection c = db.getConnection()) {
            LogOperator.writeTree(c, LogOperator.leafHashes(c, k));
            LogOperator.update(c, "delete from audit_leaf where leaf_index >= ?", k);
            LogOperator.dropCheckpointsAbove(c, k - 1);
        }
        signer.signIfGrown();
        Report r = verify();
        assertDetected(r, "consistency: rewound: the held checkpoint has " + heldSize + " entries, the vault now shows");
    }

    @Test
    void droppingTheNewerCheckpointsIsARewind() throws Exception {
        try (Connection c = db.getConnection()) {
            // The held checkpoint and every later one go; an older genuine one (at least the empty tree's) is served.
            LogOperator.dropCheckpointsAbove(c, heldSize - 1);
        }
        assertDetected(verify(), "consistency: rewound: the held checkpoint has " + heldSize + " entries");
    }

    @Test
    void aForgedCheckpointNoteIsDetected() throws Exception {
        try (Connection c = db.getConnection()) {
            long latest = LogOperator.number(c, "select max(tree_size) from audit_checkpoint");
            byte[] root = LogOperator.bytes(c, "select root_hash from audit_checkpoint where tree_size = ?", latest);
            byte[] forged = root.clone();
            forged[0] ^= 1;
            LogOperator.update(c, "update audit_checkpoint set note = replace(note, ?, ?), root_hash = ? where tree_size = ?",
                    Base64.getEncoder().encodeToString(root), Base64.getEncoder().encodeToString(forged), forged, latest);
        }
        assertDetected(verify(), "checkpoint: the signature by " + key.name() + " does not verify");
    }

    private void append(UUID id, int k) {
        QuarkusTransaction.requiringNew().run(() -> log.owner(id, AuditKind.DATA_USE, Map.of("test", k)));
    }

    private void publish() throws SQLException {
        sequencer.integrateAll();
        signer.signIfGrown();
    }

    private Response fetch() {
        return given().auth().oauth2(owner.token()).get("/owners/" + owner.id() + "/audit?limit=1000&since=" + heldSize);
    }

    private JsonNode audit() throws Exception {
        return JSON.readTree(given().auth().oauth2(owner.token()).get("/owners/" + owner.id() + "/audit?limit=1000")
                .then().statusCode(200).extract().asString());
    }

    private Report verify() throws Exception {
        Response response = fetch();
        assertEquals(200, response.statusCode(), response.asString());
        return AuditVerifier.verify(JSON.readTree(response.asString()), key, held, owner.id(), 0);
    }

    private List<Row> rows() throws SQLException {
        List<Row> out = new ArrayList<>();
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("select e.seq, e.entry_id, l.leaf_index from audit_owner_entry e"
                     + " join audit_leaf l using (entry_id) where e.owner_id = ? order by e.seq")) {
            ps.setObject(1, owner.id());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Row(rs.getLong(1), rs.getLong(2), rs.getLong(3)));
                }
            }
        }
        assertEquals(5, out.size());
        return out;
    }

    private static void assertDetected(Report r, String reason) {
        assertFalse(r.verified(), "tampering went unnoticed:\n" + String.join("\n", r.lines()));
        assertTrue(r.failures().stream().anyMatch(f -> f.contains(reason)),
                "expected a failure saying '" + reason + "':\n" + String.join("\n", r.lines()));
    }
}
