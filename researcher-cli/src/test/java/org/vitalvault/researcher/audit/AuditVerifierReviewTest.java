package org.vitalvault.researcher.audit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.vitalvault.researcher.audit.AuditVerifier.Report;
import org.vitalvault.tlog.Checkpoint;
import org.vitalvault.tlog.MerkleProofs;

/**
 * Review of issue 17: an operator holding the database and the vault's signing key crafts entries
 * and checkpoints that the CLI verifier must refuse exactly as the app's verifier (audit-verify.js:
 * strict UTF-8, JSON.parse of one value, strict equality) does, so no entry reads differently in the
 * two or verifies in one only.
 */
class AuditVerifierReviewTest {

    private static final UUID OWNER = UUID.fromString("11111111-2222-4333-8444-555555555555");
    private static final String PREFIX = "{\"v\":1,\"log\":\"vitalvault.local/audit\",\"kind\":\"DATA_USE\","
            + "\"at\":\"2026-12-02T17:00:00Z\",";

    /** A log whose only owner entry (seq 1) has exactly {@code bytes}; the response for OWNER. */
    private static Report verifyOne(byte[] bytes) {
        return verifyOne(OWNER, bytes);
    }

    private static Report verifyOne(UUID owner, byte[] bytes) {
        AuditLogFixture log = new AuditLogFixture();
        log.appendDeployment();
        log.appendRaw(owner, 1, bytes);
        log.appendDeployment();
        ObjectNode r = log.response(owner, log.size(), null);
        return AuditVerifier.verify(r, log.key, null, owner, 0);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void assertRefused(Report r, String reason) {
        assertFalse(r.verified(), "refused: " + String.join("\n", r.lines()));
        assertTrue(r.failures().stream().anyMatch(f -> f.contains(reason)),
                "a failure says '" + reason + "':\n" + String.join("\n", r.lines()));
    }

    private static final String HONEST = PREFIX + "\"owner\":\"" + OWNER + "\",\"seq\":1,\"prev\":null,\"details\":{}}";

    @Test
    void theHonestCraftedEntryVerifies() {
        Report r = verifyOne(utf8(HONEST));
        assertTrue(r.verified(), String.join("\n", r.lines()));
    }

    @Test
    void trailingContentAfterTheEntryObjectIsRefused() {
        // Jackson reads the first value and ignores the rest; JSON.parse refuses the whole.
        assertRefused(verifyOne(utf8(HONEST + "{\"kind\":\"CONSENT_GRANTED\"}")), "not JSON");
    }

    @Test
    void anEntryNotInUtf8IsRefused() {
        // Jackson detects UTF-16 by itself; the app decodes strict UTF-8 and refuses it.
        assertRefused(verifyOne(HONEST.getBytes(StandardCharsets.UTF_16BE)), "not JSON");
    }

    @Test
    void aFractionalSeqIsRefused() {
        // Jackson's canConvertToLong/asLong truncate 1.5 to 1; in the app 1.5 !== 1.
        String e = PREFIX + "\"owner\":\"" + OWNER + "\",\"seq\":1.5,\"prev\":null,\"details\":{}}";
        assertRefused(verifyOne(utf8(e)), "the entry says seq");
    }

    @Test
    void aVersionWrittenAsTextIsRefused() {
        String e = HONEST.replace("\"v\":1", "\"v\":\"1\"");
        assertRefused(verifyOne(utf8(e)), "not version 1");
    }

    @Test
    void anOwnerWrittenOtherwiseThanTheVaultWritesItIsRefused() {
        // UUID.fromString takes upper case and short groups; the app compares the text.
        UUID hex = UUID.fromString("abcdef01-2222-4333-8444-5555555555ab");
        String e = HONEST.replace(OWNER.toString(), hex.toString().toUpperCase());
        assertRefused(verifyOne(hex, utf8(e)), "names no owner");
    }

    @Test
    void duplicateKeysInAnEntryAreRefused() {
        // Both parsers keep the last "owner", but the bytes say two things; refuse the ambiguity.
        String e = PREFIX + "\"owner\":\"99999999-2222-4333-8444-555555555555\",\"seq\":1,\"prev\":null,\"details\":{},"
                + "\"owner\":\"" + OWNER + "\"}";
        assertRefused(verifyOne(utf8(e)), "not JSON");
    }

    @Test
    void aCheckpointOfAnotherOriginSignedByTheSameKeyIsRefused() {
        // The operator signs, with the vault's key, a checkpoint naming another log, and the response
        // names that log too: the checkpoint's origin must be the pinned key's name.
        AuditLogFixture log = new AuditLogFixture();
        log.appendDeployment();
        log.appendDeployment();
        long size = log.size();
        ObjectNode r = log.response(OWNER, size, null);
        Checkpoint other = new Checkpoint("evil.example/audit", size, MerkleProofs.root(size, log.reader));
        r.put("log", "evil.example/audit");
        r.put("checkpoint", AuditLogFixture.sign(other, log.privateKey, log.key));
        assertRefused(AuditVerifier.verify(r, log.key, null, OWNER, 0), "checkpoint:");
    }
}
