package org.vitalvault.researcher.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vitalvault.researcher.audit.AuditVerifier.Report;
import org.vitalvault.researcher.audit.AuditVerifier.Status;
import org.vitalvault.tlog.Checkpoint;
import org.vitalvault.tlog.MerkleProofs;
import org.vitalvault.tlog.NoteKey;

/**
 * The owner's verifier against synthetic responses built with core (a tree in memory, salted
 * entries, signed checkpoints): the honest document verifies, and each way an operator could lie —
 * about an entry, the chain, the proofs, the checkpoint or the history — is refused with its reason.
 */
class AuditVerifierTest {

    private static final UUID OWNER = UUID.fromString("11111111-2222-4333-8444-555555555555");
    private static final UUID OTHER = UUID.fromString("99999999-2222-4333-8444-555555555555");

    private AuditLogFixture log;
    private String held;
    private long heldSize;

    @BeforeEach
    void log() {
        log = new AuditLogFixture();
        // Owner entries interleaved with another owner's and deployment entries, as in the real log.
        for (int i = 0; i < 6; i++) {
            log.append(OWNER, i == 0 ? "CONSENT_GRANTED" : "DATA_USE");
            log.append(OTHER, "DATA_USE");
            if (i % 2 == 0) {
                log.appendDeployment();
            }
        }
        heldSize = log.size();
        held = log.signedCheckpoint(heldSize);
        for (int i = 0; i < 3; i++) {
            log.appendDeployment();
            log.append(OWNER, "DATA_USE");
            log.append(OTHER, "CAREGIVER_READ");
        }
    }

    private ObjectNode honest() {
        return log.response(OWNER, log.size(), heldSize);
    }

    private Report verify(JsonNode response) {
        return AuditVerifier.verify(response, log.key, held, OWNER, 0);
    }

    private static ObjectNode entry(ObjectNode response, int i) {
        return (ObjectNode) response.path("entries").get(i);
    }

    private static void assertRefused(Report r, String reason) {
        assertFalse(r.verified(), "refused: " + String.join("\n", r.lines()));
        assertTrue(r.failures().stream().anyMatch(f -> f.contains(reason)),
                "a failure says '" + reason + "':\n" + String.join("\n", r.lines()));
    }

    @Test
    void theHonestDocumentVerifies() {
        Report r = verify(honest());
        assertTrue(r.verified(), String.join("\n", r.lines()));
        assertEquals(9, r.count(Status.VERIFIED));
        assertEquals(0, r.count(Status.PENDING));
        assertTrue(r.checkpointLine().startsWith("CHECKPOINT VERIFIED log=vitalvault.local/audit size=" + log.size()));
        assertTrue(r.consistencyLine().startsWith("CONSISTENCY VERIFIED held size=" + heldSize + " -> size=" + log.size()),
                r.consistencyLine());
        assertEquals("VERIFIED seq=1 kind=CONSENT_GRANTED leaf=0", r.entries().get(0).line());
        assertEquals(log.signedCheckpoint(log.size()), r.checkpointNote());
        assertTrue(r.lines().get(r.lines().size() - 1).startsWith("RESULT VERIFIED entries=9 verified=9 pending=0 failed=0"));
    }

    @Test
    void withoutAHeldCheckpointTheEntriesStillVerifyAndConsistencyIsSkipped() {
        Report r = AuditVerifier.verify(log.response(OWNER, log.size(), null), log.key, null, null, 0);
        assertTrue(r.verified(), String.join("\n", r.lines()));
        assertTrue(r.consistencyLine().startsWith("CONSISTENCY SKIPPED"));
    }

    @Test
    void entriesIntegratedAfterTheCheckpointArePendingAndAllowed() {
        Report r = verify(log.response(OWNER, heldSize, heldSize));
        assertTrue(r.verified(), String.join("\n", r.lines()));
        assertEquals(6, r.count(Status.VERIFIED));
        assertEquals(3, r.count(Status.PENDING));
        assertTrue(r.entries().get(6).line().startsWith("PENDING seq=7 kind=DATA_USE"), r.entries().get(6).line());
        assertTrue(r.consistencyLine().contains("(same tree)"));
        ObjectNode notIntegrated = log.response(OWNER, heldSize, heldSize);
        entry(notIntegrated, 8).putNull("leafIndex");
        assertTrue(verify(notIntegrated).verified());
    }

    @Test
    void aChangedEntryByteIsRefused() {
        ObjectNode r = honest();
        byte[] bytes = Base64.getDecoder().decode(entry(r, 3).path("entry").asText());
        int at = new String(bytes, StandardCharsets.UTF_8).indexOf("2026");
        bytes[at + 3] = '7';    // the entry now claims another year
        entry(r, 3).put("entry", Base64.getEncoder().encodeToString(bytes));
        assertRefused(verify(r), "FAILED seq=4 the commitment is not SHA-256 of its salt and entry");
        // The vault lying consistently — the commitment recomputed for the changed bytes — is not in the tree.
        entry(r, 3).remove("commitment");
        assertRefused(verify(r), "FAILED seq=4 not in the signed tree");
    }

    @Test
    void aChangedSaltIsRefused() {
        ObjectNode r = honest();
        byte[] salt = Base64.getDecoder().decode(entry(r, 0).path("salt").asText());
        salt[0] ^= (byte) 0x80;
        entry(r, 0).put("salt", Base64.getEncoder().encodeToString(salt));
        assertRefused(verify(r), "FAILED seq=1 the commitment is not SHA-256");
        entry(r, 0).put("salt", Base64.getEncoder().encodeToString(new byte[31]));
        assertRefused(verify(r), "FAILED seq=1 entry or salt missing");
    }

    @Test
    void swappedEntriesAreRefused() {
        ObjectNode r = honest();
        ArrayNode entries = (ArrayNode) r.path("entries");
        JsonNode second = entries.get(1).deepCopy();
        entries.set(1, entries.get(2).deepCopy());
        entries.set(2, second);
        assertRefused(verify(r), "FAILED seq=3 seq 2 missing");
        // Swapped with their seq numbers relabelled: the entries' own seq says otherwise.
        entry(r, 1).put("seq", 2);
        entry(r, 2).put("seq", 3);
        assertRefused(verify(r), "FAILED seq=2 the entry says seq 3 but is listed as 2");
    }

    @Test
    void aMissingSeqIsAGap() {
        ObjectNode r = honest();
        ((ArrayNode) r.path("entries")).remove(4);
        assertRefused(verify(r), "FAILED seq=6 seq 5 missing (a gap in the chain)");
        ObjectNode first = honest();
        ((ArrayNode) first.path("entries")).remove(0);
        assertRefused(verify(first), "FAILED seq=2 seq 1 missing");
    }

    @Test
    void aDroppedLastEntryShowsOnlyAgainstTheVaultsOwnLastSeq() {
        ObjectNode r = honest();
        ((ArrayNode) r.path("entries")).remove(8);
        assertRefused(verify(r), "entries end at seq 8 but the vault reports lastSeq 9");
    }

    @Test
    void aWrongPrevLinkIsRefusedEvenWhenTheEntryIsInTheTree() {
        // The operator appended an entry whose prev does not name the owner's previous entry.
        Checkpoint before = log.checkpoint(log.size());
        byte[] bad = ("{\"v\":1,\"log\":\"vitalvault.local/audit\",\"kind\":\"DATA_USE\",\"at\":\"2026-12-02T18:00:00Z\",\"owner\":\""
                + OWNER + "\",\"seq\":10,\"prev\":\"" + Base64.getEncoder().encodeToString(new byte[32]) + "\",\"details\":{}}")
                .getBytes(StandardCharsets.UTF_8);
        log.appendRaw(OWNER, 10, bad);
        assertTrue(before.size() < log.size());
        assertRefused(verify(log.response(OWNER, log.size(), heldSize)), "FAILED seq=10 prev is not the commitment of seq 9");
    }

    @Test
    void anEntryOfAnotherOwnerIsRefused() {
        ObjectNode r = honest();
        // The other owner's seq-2 entry, with its own valid inclusion proof, put in this owner's place.
        ObjectNode theirs = (ObjectNode) log.response(OTHER, log.size(), null).path("entries").get(1);
        ((ArrayNode) r.path("entries")).set(1, theirs);
        assertRefused(verify(r), "FAILED seq=2 the entry is another owner's (" + OTHER + ")");
        // Without --owner the first entry fixes whose chain it is.
        assertRefused(AuditVerifier.verify(r, log.key, held, null, 0), "another owner's");
    }

    @Test
    void aProofForAnotherTreeSizeIsRefused() {
        ObjectNode r = honest();
        long leaf = entry(r, 2).path("leafIndex").asLong();
        ArrayNode proof = entry(r, 2).putArray("inclusionProof");
        MerkleProofs.inclusion(leaf, heldSize, log.reader).forEach(h -> proof.add(AuditLogFixture.b64(h)));
        assertRefused(verify(r), "FAILED seq=3 not in the signed tree");
    }

    @Test
    void anEarlierEntryShownAsNotIntegratedIsRefused() {
        // The vault lost (or hid) the leaf of seq 3 while seq 4 is in the tree.
        ObjectNode r = honest();
        entry(r, 2).putNull("leafIndex");
        entry(r, 2).putNull("inclusionProof");
        assertRefused(verify(r), "FAILED seq=4 in the tree at leaf");
        assertRefused(verify(r), "while the earlier seq 3 is shown as not integrated");
    }

    @Test
    void leavesThatDoNotAscendWithSeqAreRefused() {
        // Two entries' leaf indexes and proofs exchanged: each proof is valid for its leaf, the order is not.
        ObjectNode r = honest();
        ObjectNode a = entry(r, 3);
        ObjectNode b = entry(r, 4);
        com.fasterxml.jackson.databind.JsonNode leafA = a.get("leafIndex");
        com.fasterxml.jackson.databind.JsonNode proofA = a.get("inclusionProof");
        a.set("leafIndex", b.get("leafIndex"));
        a.set("inclusionProof", b.get("inclusionProof"));
        b.set("leafIndex", leafA);
        b.set("inclusionProof", proofA);
        assertRefused(verify(r), "FAILED seq=4 not in the signed tree");
        assertRefused(verify(r), "FAILED seq=5");
    }

    @Test
    void aTruncatedProofIsRefused() {
        ObjectNode r = honest();
        ArrayNode proof = (ArrayNode) entry(r, 5).path("inclusionProof");
        proof.remove(proof.size() - 1);
        assertRefused(verify(r), "FAILED seq=6 not in the signed tree: inclusion proof has");
        ObjectNode none = honest();
        entry(none, 5).putNull("inclusionProof");
        assertRefused(verify(none), "FAILED seq=6 no inclusion proof for leaf");
    }

    @Test
    void aCheckpointSignedByAnotherKeyIsRefused() {
        Ed25519PrivateKeyParameters other = new Ed25519PrivateKeyParameters(new SecureRandom());
        NoteKey otherKey = NoteKey.of(AuditLogFixture.ORIGIN, other.generatePublicKey().getEncoded());
        ObjectNode r = honest();
        r.put("checkpoint", AuditLogFixture.sign(log.checkpoint(log.size()), other, otherKey));
        r.put("verifierKey", otherKey.verifierKey());
        Report report = verify(r);
        assertRefused(report, "checkpoint: the note has no signature by vitalvault.local/audit");
        assertEquals(0, report.count(Status.VERIFIED), "nothing verifies against an untrusted checkpoint");
        assertNull(report.checkpointNote());
    }

    @Test
    void aForgedSignatureIsRefused() {
        ObjectNode r = honest();
        String note = r.path("checkpoint").asText();
        int at = note.lastIndexOf(' ') + 10;
        char c = note.charAt(at);
        r.put("checkpoint", note.substring(0, at) + (c == 'A' ? 'B' : 'A') + note.substring(at + 1));
        assertRefused(verify(r), "checkpoint: the signature by vitalvault.local/audit does not verify");
        // A correctly signed checkpoint whose text was then changed (another root, same size).
        ObjectNode changed = honest();
        String text = log.checkpoint(log.size()).text();
        String other = log.checkpoint(heldSize).text();
        String otherRootLine = other.split("\n")[2];
        changed.put("checkpoint", changed.path("checkpoint").asText().replace(text.split("\n")[2], otherRootLine));
        changed.put("rootHash", otherRootLine);
        assertRefused(verify(changed), "does not verify");
    }

    @Test
    void treeSizeOrRootOutsideTheSignedCheckpointIsRefused() {
        ObjectNode r = honest();
        r.put("treeSize", log.size() + 1);
        assertRefused(verify(r), "treeSize/rootHash are not the signed checkpoint's");
    }

    @Test
    void aHeldCheckpointLargerThanTheNewOneIsARewind() {
        ObjectNode r = log.response(OWNER, heldSize - 2, null);
        assertRefused(verify(r), "consistency: rewound: the held checkpoint has " + heldSize + " entries, the vault now shows "
                + (heldSize - 2));
    }

    @Test
    void aHeldCheckpointOfEqualSizeWithAnotherRootIsAFork() {
        // The operator rebuilt the log without one entry (it holds the key) and re-signed it at the same size.
        AuditLogFixture rewritten = sameKeyLog();
        for (int i = 0; i < heldSize; i++) {
            rewritten.append(i == 3 ? OTHER : OWNER, "DATA_USE");
        }
        ObjectNode r = rewritten.response(OWNER, heldSize, null);
        assertRefused(AuditVerifier.verify(r, log.key, held, OWNER, 0),
                "consistency: forked: two different roots signed for tree size " + heldSize);
    }

    @Test
    void anInconsistentConsistencyProofIsRefused() {
        // The operator rewrote history, then grew the log and signed the new head with the vault's key.
        AuditLogFixture rewritten = sameKeyLog();
        for (int i = 0; i < heldSize + 5; i++) {
            rewritten.append(OWNER, "DATA_USE");
        }
        ObjectNode r = rewritten.response(OWNER, rewritten.size(), heldSize);
        Report report = AuditVerifier.verify(r, log.key, held, OWNER, 0);
        assertTrue(report.checkpointLine().startsWith("CHECKPOINT VERIFIED"), "the new head is genuinely signed");
        assertRefused(report, "consistency: the new tree does not extend the held one (history rewritten)");
        // A damaged proof on the honest log, and a proof from another size.
        ObjectNode damaged = honest();
        ArrayNode proof = (ArrayNode) damaged.path("consistency").path("proof");
        proof.set(0, proof.get(proof.size() - 1));
        assertRefused(verify(damaged), "history rewritten");
        ObjectNode missing = log.response(OWNER, log.size(), null);
        assertRefused(verify(missing), "consistency: no consistency proof from the held size " + heldSize);
        ObjectNode fromElsewhere = log.response(OWNER, log.size(), heldSize - 1);
        assertRefused(verify(fromElsewhere), "the consistency proof is from " + (heldSize - 1));
    }

    @Test
    void aHeldCheckpointNotSignedByTheKeyIsRefused() {
        Ed25519PrivateKeyParameters other = new Ed25519PrivateKeyParameters(new SecureRandom());
        NoteKey otherKey = NoteKey.of(AuditLogFixture.ORIGIN, other.generatePublicKey().getEncoded());
        String foreign = AuditLogFixture.sign(log.checkpoint(heldSize), other, otherKey);
        assertRefused(AuditVerifier.verify(honest(), log.key, foreign, OWNER, 0), "consistency: the note has no signature");
    }

    @Test
    void malformedResponsesFailWithReasonsNotExceptions() {
        ObjectNode r = honest();
        entry(r, 0).put("entry", "not base64!");
        entry(r, 1).put("inclusionProof", "nope");
        entry(r, 2).put("leafIndex", "x");
        entry(r, 3).put("entry", Base64.getEncoder().encodeToString("[1,2]".getBytes(StandardCharsets.UTF_8)));
        entry(r, 4).remove("seq");
        Report report = verify(r);
        assertFalse(report.verified());
        assertTrue(report.entries().stream().limit(5).allMatch(e -> e.status() != Status.VERIFIED), String.join("\n", report.lines()));
        assertFalse(AuditVerifier.verify(AuditLogFixture.JSON.createObjectNode(), log.key, held, OWNER, 0).verified());
        ObjectNode noEntries = honest();
        noEntries.remove("entries");
        assertRefused(verify(noEntries), "no entries list");
    }

    @Test
    void aLaterPageStartsAtAfterSeq() {
        ObjectNode r = honest();
        ArrayNode entries = (ArrayNode) r.path("entries");
        for (int i = 0; i < 4; i++) {
            entries.remove(0);
        }
        assertTrue(AuditVerifier.verify(r, log.key, held, OWNER, 4).verified());
        assertRefused(AuditVerifier.verify(r, log.key, held, OWNER, 3), "seq 4 missing");
    }

    /** Another log under the same key: what an operator who holds the key can build. */
    private AuditLogFixture sameKeyLog() {
        return new AuditLogFixture(log.privateKey);
    }
}
