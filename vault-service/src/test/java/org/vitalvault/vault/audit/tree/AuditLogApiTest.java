package org.vitalvault.vault.audit.tree;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
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
import org.junit.jupiter.api.Test;
import org.vitalvault.tlog.AuditCommitment;
import org.vitalvault.tlog.Checkpoint;
import org.vitalvault.tlog.MerkleHash;
import org.vitalvault.tlog.MerkleVerifier;
import org.vitalvault.tlog.NoteKey;
import org.vitalvault.tlog.SignedNote;
import org.vitalvault.vault.audit.AuditKind;
import org.vitalvault.vault.audit.AuditLog;
import org.vitalvault.vault.support.ConsentFixtures;
import org.vitalvault.vault.support.ConsentFixtures.TestOwner;

/**
 * The transparency log as owners and the public see it: entries appended by events are integrated
 * by the sequencer, signed into checkpoints, and served with everything an owner needs to verify
 * them offline — each checked here with core's verifier against the published key, as the owner's
 * verifier would. The background jobs are idle in tests (%test intervals); each test runs them.
 */
@QuarkusTest
class AuditLogApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Decoder B64 = Base64.getDecoder();

    @Inject
    AuditLog log;

    @Inject
    AuditSequencer sequencer;

    @Inject
    CheckpointSigner signer;

    @Inject
    RecordingWitness witness;

    @Inject
    AgroalDataSource db;

    @Inject
    MeterRegistry registry;

    @Test
    void anOwnersEntriesCommitmentsInclusionProofsAndCheckpointVerifyAgainstThePublishedKey() throws Exception {
        TestOwner a = ConsentFixtures.newOwner();
        appendOwner(a.id(), 3);
        publish();

        JsonNode page = audit(a, "");
        NoteKey key = publishedKey();
        Checkpoint cp = verifiedCheckpoint(page, key);
        assertEquals(3, page.get("entries").size());
        assertEquals(3, page.get("lastSeq").asLong());
        assertEquals(0, page.get("pending").asLong());
        assertTrue(page.get("nextAfterSeq").isNull());
        assertTrue(page.get("consistency").isNull(), "no consistency proof without since");
        verifyEntries(a.id(), page, cp, 0);
    }

    @Test
    void aConsistencyProofFromAnOlderCheckpointVerifies() throws Exception {
        TestOwner a = ConsentFixtures.newOwner();
        appendOwner(a.id(), 2);
        publish();
        Checkpoint older = Checkpoint.parse(SignedNote.open(checkpointNote(), publishedKey()));
        appendOwner(a.id(), 3);
        publish();
        Checkpoint newer = Checkpoint.parse(SignedNote.open(checkpointNote(), publishedKey()));
        assertTrue(newer.size() > older.size());

        JsonNode proof = JSON.readTree(given().get("/audit/consistency?from=" + older.size() + "&to=" + newer.size())
                .then().statusCode(200).extract().asString());
        assertEquals(older.size(), proof.get("fromSize").asLong());
        assertEquals(newer.size(), proof.get("toSize").asLong());
        MerkleVerifier.verifyConsistency(older.size(), newer.size(), hashes(proof.get("proof")), older.rootHash(),
                newer.rootHash());

        JsonNode page = audit(a, "?since=" + older.size());
        JsonNode c = page.get("consistency");
        assertEquals(older.size(), c.get("fromSize").asLong());
        assertEquals(page.get("treeSize").asLong(), c.get("toSize").asLong());
        MerkleVerifier.verifyConsistency(older.size(), c.get("toSize").asLong(), hashes(c.get("proof")), older.rootHash(),
                B64.decode(page.get("rootHash").asText()));

        // A held checkpoint larger than the served one: answered, without a proof (the verifier says "rewound").
        assertTrue(audit(a, "?since=" + (newer.size() + 1000)).get("consistency").isNull());
    }

    @Test
    void anotherOwnerGetsNotFoundAndNoneOfTheirAnswersMentionTheFirstOwner() throws Exception {
        TestOwner a = ConsentFixtures.newOwner();
        TestOwner b = ConsentFixtures.newOwner();
        appendOwner(a.id(), 2);
        appendOwner(b.id(), 1);
        publish();

        // Refused exactly like an id that names no one: the problem echoes only the path B sent.
        UUID unknown = UUID.randomUUID();
        for (String q : List.of("", "?afterSeq=1&limit=5&since=0")) {
            String refused = given().auth().oauth2(b.token()).get("/owners/" + a.id() + "/audit" + q).then().statusCode(404)
                    .contentType("application/problem+json").extract().asString();
            String unknownAnswer = given().auth().oauth2(b.token()).get("/owners/" + unknown + "/audit" + q).then()
                    .statusCode(404).extract().asString();
            assertEquals(unknownAnswer.replace(unknown.toString(), "ID"), refused.replace(a.id().toString(), "ID"));
        }
        List<String> bodies = new ArrayList<>();
        String own = given().auth().oauth2(b.token()).get("/owners/" + b.id() + "/audit").then().statusCode(200)
                .extract().asString();
        bodies.add(own);
        bodies.add(given().auth().oauth2(b.token()).get("/audit/deployment").then().statusCode(200).extract().asString());
        for (String body : bodies) {
            assertFalse(body.contains(a.id().toString()), "B's answer names A: " + body);
        }
        JsonNode page = JSON.readTree(own);
        assertEquals(1, page.get("entries").size());
        verifyEntries(b.id(), page, verifiedCheckpoint(page, publishedKey()), 0);
    }

    @Test
    void entriesNotYetInTheCheckpointAreListedWithoutProofs() throws Exception {
        TestOwner a = ConsentFixtures.newOwner();
        appendOwner(a.id(), 1);
        publish();
        appendOwner(a.id(), 1);

        JsonNode queued = audit(a, "");
        JsonNode second = queued.get("entries").get(1);
        assertTrue(second.get("leafIndex").isNull(), "not integrated: no leaf index");
        assertTrue(second.get("inclusionProof").isNull());
        assertEquals(1, queued.get("pending").asLong());
        verifyEntries(a.id(), queued, verifiedCheckpoint(queued, publishedKey()), 0);

        sequencer.integrateAll();
        JsonNode integrated = audit(a, "");
        JsonNode now = integrated.get("entries").get(1);
        assertTrue(now.get("leafIndex").asLong() >= integrated.get("treeSize").asLong(), "integrated after the checkpoint");
        assertTrue(now.get("inclusionProof").isNull(), "no proof against a checkpoint that does not hold it yet");
        assertEquals(1, integrated.get("pending").asLong());

        signer.signIfGrown();
        JsonNode signedPage = audit(a, "");
        assertEquals(0, signedPage.get("pending").asLong());
        assertNotNull(signedPage.get("entries").get(1).get("inclusionProof").get(0));
        verifyEntries(a.id(), signedPage, verifiedCheckpoint(signedPage, publishedKey()), 0);
    }

    @Test
    void theSignerRefusesWhenTheHeadsRootWasAlteredAndSignsOnceItIsBack() throws Exception {
        TestOwner a = ConsentFixtures.newOwner();
        publish();
        long before = latestCheckpointSize();
        appendOwner(a.id(), 1);
        sequencer.integrateAll();
        byte[] root = headRoot();
        byte[] forged = root.clone();
        forged[0] ^= 1;
        setHeadRoot(forged);
        double refusedBefore = registry.counter("vitalvault.audit.checkpoints.refused").count();
        try {
            assertEquals(CheckpointSigner.Outcome.REFUSED, signer.signIfGrown());
            assertEquals(before, latestCheckpointSize(), "no checkpoint signed over a forged head");
            assertEquals(refusedBefore + 1, registry.counter("vitalvault.audit.checkpoints.refused").count());
        } finally {
            setHeadRoot(root);
        }
        assertEquals(CheckpointSigner.Outcome.SIGNED, signer.signIfGrown());
        assertTrue(latestCheckpointSize() > before);
    }

    @Test
    void pagesFollowAfterSeqAndLimit() throws Exception {
        TestOwner a = ConsentFixtures.newOwner();
        appendOwner(a.id(), 5);
        publish();
        NoteKey key = publishedKey();
        List<Long> seen = new ArrayList<>();
        String after = "0";
        int pages = 0;
        while (after != null) {
            JsonNode page = audit(a, "?limit=2&afterSeq=" + after);
            Checkpoint cp = verifiedCheckpoint(page, key);
            verifyEntries(a.id(), page, cp, Long.parseLong(after));
            page.get("entries").forEach(e -> seen.add(e.get("seq").asLong()));
            after = page.get("nextAfterSeq").isNull() ? null : page.get("nextAfterSeq").asText();
            pages++;
        }
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), seen);
        assertEquals(3, pages);
        assertEquals(0, audit(a, "?afterSeq=5").get("entries").size());
    }

    @Test
    void outOfBoundsParametersAreProblems() {
        TestOwner a = ConsentFixtures.newOwner();
        for (String q : List.of("limit=0", "limit=1001", "limit=ten", "afterSeq=-1", "afterSeq=x", "since=-1", "since=1.5")) {
            String body = given().auth().oauth2(a.token()).get("/owners/" + a.id() + "/audit?" + q).then().statusCode(400)
                    .contentType("application/problem+json").extract().asString();
            assertTrue(body.contains(q.substring(0, q.indexOf('='))), q + ": the problem names the parameter: " + body);
        }
        given().auth().oauth2(a.token()).get("/owners/" + a.id() + "/audit?limit=1000").then().statusCode(200);
        for (String q : List.of("", "from=1", "to=1", "from=-1&to=0", "from=3&to=2", "from=a&to=2")) {
            given().get("/audit/consistency" + (q.isEmpty() ? "" : "?" + q)).then().statusCode(400)
                    .contentType("application/problem+json");
        }
        for (String q : List.of("afterIndex=-2", "limit=0", "limit=1001")) {
            given().auth().oauth2(a.token()).get("/audit/deployment?" + q).then().statusCode(400)
                    .contentType("application/problem+json");
        }
    }

    @Test
    void thePublicEndpointsNeedNoTokenAndNameNoOwner() throws Exception {
        TestOwner a = ConsentFixtures.newOwner();
        appendOwner(a.id(), 2);
        publish();
        String note = given().get("/audit/checkpoint").then().statusCode(200)
                .contentType("text/plain").extract().asString();
        String key = given().get("/audit/key").then().statusCode(200).extract().asString();
        long size = Checkpoint.parse(SignedNote.open(note, publishedKey())).size();
        String proof = given().get("/audit/consistency?from=1&to=" + size).then().statusCode(200).extract().asString();
        for (String body : List.of(note, key, proof)) {
            assertFalse(body.contains(a.id().toString()), "a public answer names an owner: " + body);
            assertFalse(body.contains("\"owner\""), body);
        }
        JsonNode k = JSON.readTree(key);
        assertEquals(k.get("verifierKey").asText(),
                NoteKey.of(k.get("origin").asText(), B64.decode(k.get("publicKey").asText())).verifierKey());
        // The signing key is the vault's published one (GET /vault/keys).
        String jwkX = given().get("/vault/keys").then().statusCode(200).extract().path("keys[0].x");
        assertTrue(Arrays.equals(Base64.getUrlDecoder().decode(jwkX), B64.decode(k.get("publicKey").asText())));
        // A size no checkpoint was issued for.
        given().get("/audit/consistency?from=0&to=" + (size + 1_000_000)).then().statusCode(404)
                .contentType("application/problem+json");
        given().get("/audit/deployment").then().statusCode(401);
    }

    @Test
    void deploymentEntriesAreListedInLeafOrderWithProofs() throws Exception {
        String lease = UUID.randomUUID().toString();
        QuarkusTransaction.requiringNew().run(() -> log.deployment(AuditKind.LEASE_APPROVED, Map.of("leaseId", lease)));
        publish();
        TestOwner anyone = ConsentFixtures.newOwner();
        NoteKey key = publishedKey();
        JsonNode found = null;
        String after = "-1";
        while (after != null && found == null) {
            JsonNode page = JSON.readTree(given().auth().oauth2(anyone.token())
                    .get("/audit/deployment?limit=1000&afterIndex=" + after).then().statusCode(200).extract().asString());
            Checkpoint cp = verifiedCheckpoint(page, key);
            long previous = Long.parseLong(after);
            for (JsonNode e : page.get("entries")) {
                long index = e.get("leafIndex").asLong();
                assertTrue(index > previous, "leaf order");
                previous = index;
                byte[] salt = B64.decode(e.get("salt").asText());
                byte[] entry = B64.decode(e.get("entry").asText());
                byte[] commitment = AuditCommitment.of(salt, entry);
                assertEquals(e.get("commitment").asText(), Base64.getEncoder().encodeToString(commitment));
                MerkleVerifier.verifyInclusion(MerkleHash.leaf(commitment), index, cp.size(), hashes(e.get("inclusionProof")),
                        cp.rootHash());
                if (new String(entry, StandardCharsets.UTF_8).contains(lease)) {
                    found = e;
                }
            }
            after = page.get("nextAfterIndex").isNull() ? null : page.get("nextAfterIndex").asText();
        }
        assertNotNull(found, "the lease approval is listed");
        assertEquals("LEASE_APPROVED", found.get("kind").asText());
    }

    @Test
    void everyWitnessGetsEachNewCheckpointAndAFailingOneStopsNoSigning() throws Exception {
        TestOwner a = ConsentFixtures.newOwner();
        publish();
        appendOwner(a.id(), 1);
        sequencer.integrateAll();
        int before = witness.published().size();
        double failures = registry.counter("vitalvault.audit.witness.failures").count();
        witness.failing(true);
        try {
            assertEquals(CheckpointSigner.Outcome.SIGNED, signer.signIfGrown());
        } finally {
            witness.failing(false);
        }
        assertEquals(failures + 1, registry.counter("vitalvault.audit.witness.failures").count());
        assertEquals(before, witness.published().size());

        appendOwner(a.id(), 1);
        sequencer.integrateAll();
        assertEquals(CheckpointSigner.Outcome.SIGNED, signer.signIfGrown());
        assertEquals(CheckpointSigner.Outcome.UNCHANGED, signer.signIfGrown(), "nothing new, nothing signed");
        List<RecordingWitness.Published> published = witness.published();
        assertEquals(before + 1, published.size());
        RecordingWitness.Published last = published.get(published.size() - 1);
        assertEquals(checkpointNote(), last.note());
        assertEquals(Checkpoint.parse(SignedNote.open(last.note(), publishedKey())).size(), last.size());
    }

    // --- helpers ---

    private void appendOwner(UUID owner, int n) {
        for (int i = 0; i < n; i++) {
            int k = i;
            QuarkusTransaction.requiringNew().run(() -> log.owner(owner, AuditKind.DATA_USE, Map.of("test", k)));
        }
    }

    /** Integrates everything queued and signs a checkpoint of it. */
    private void publish() throws SQLException {
        sequencer.integrateAll();
        signer.signIfGrown();
    }

    private static JsonNode audit(TestOwner o, String query) throws Exception {
        return JSON.readTree(given().auth().oauth2(o.token()).get("/owners/" + o.id() + "/audit" + query).then()
                .statusCode(200).extract().asString());
    }

    private static NoteKey publishedKey() throws Exception {
        return NoteKey.parse(JSON.readTree(given().get("/audit/key").then().statusCode(200).extract().asString())
                .get("verifierKey").asText());
    }

    private static String checkpointNote() {
        return given().get("/audit/checkpoint").then().statusCode(200).extract().asString();
    }

    /** The page's checkpoint, its signature checked by the published key, matching the page's size and root. */
    private static Checkpoint verifiedCheckpoint(JsonNode page, NoteKey key) throws Exception {
        Checkpoint cp = Checkpoint.parse(SignedNote.open(page.get("checkpoint").asText(), key));
        assertEquals(page.get("log").asText(), cp.origin());
        assertEquals(key.verifierKey(), page.get("verifierKey").asText());
        assertEquals(cp.size(), page.get("treeSize").asLong());
        assertEquals(Base64.getEncoder().encodeToString(cp.rootHash()), page.get("rootHash").asText());
        return cp;
    }

    /** Every entry: its commitment, its bytes (this owner, consecutive seqs, chained prev) and its inclusion proof. */
    private static void verifyEntries(UUID owner, JsonNode page, Checkpoint cp, long afterSeq) throws Exception {
        long seq = afterSeq;
        String prev = null;
        for (JsonNode e : page.get("entries")) {
            byte[] salt = B64.decode(e.get("salt").asText());
            byte[] entry = B64.decode(e.get("entry").asText());
            byte[] commitment = AuditCommitment.of(salt, entry);
            assertEquals(e.get("commitment").asText(), Base64.getEncoder().encodeToString(commitment));
            JsonNode body = JSON.readTree(entry);
            assertEquals(1, body.get("v").asInt());
            assertEquals(cp.origin(), body.get("log").asText());
            assertEquals(owner.toString(), body.get("owner").asText());
            assertEquals(++seq, body.get("seq").asLong());
            assertEquals(seq, e.get("seq").asLong());
            if (seq == 1) {
                assertTrue(body.get("prev").isNull());
            } else if (prev != null) {
                assertEquals(prev, body.get("prev").asText(), "prev is the previous entry's commitment");
            }
            prev = e.get("commitment").asText();
            if (e.get("inclusionProof").isNull()) {
                assertTrue(e.get("leafIndex").isNull() || e.get("leafIndex").asLong() >= cp.size());
            } else {
                MerkleVerifier.verifyInclusion(MerkleHash.leaf(commitment), e.get("leafIndex").asLong(), cp.size(),
                        hashes(e.get("inclusionProof")), cp.rootHash());
            }
        }
    }

    private static List<byte[]> hashes(JsonNode array) {
        List<byte[]> out = new ArrayList<>();
        array.forEach(h -> out.add(B64.decode(h.asText())));
        return out;
    }

    private long latestCheckpointSize() throws SQLException {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("select coalesce(max(tree_size), -1) from audit_checkpoint");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private byte[] headRoot() throws SQLException {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("select root_hash from audit_head");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getBytes(1);
        }
    }

    private void setHeadRoot(byte[] root) throws SQLException {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("update audit_head set root_hash = ?")) {
            ps.setBytes(1, root);
            assertEquals(1, ps.executeUpdate());
        }
    }
}
