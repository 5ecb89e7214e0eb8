package org.vitalvault.deploy.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The app's transparency-log verifier ({@code app/js/audit-verify.js}) running in a real headless
 * Chromium, served by the vault under its strict CSP: the RFC 6962 vectors (valid ones verify,
 * mutated ones are refused), then whole owner answers from a log built with core's tlog
 * ({@link SyntheticAuditLog}) — genuine, and taken apart the ways an operator could.
 */
@ExtendWith(AppBrowser.OnFailure.class)
class AuditVerifyBrowserIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static AppBrowser browser;

    /** Runs verifyAudit over answers (arguments[0], a JSON array) with a held checkpoint (arguments[1]) for an owner. */
    private static final String VERIFY = """
            const done = arguments[arguments.length - 1];
            const answers = JSON.parse(arguments[0]);
            const held = JSON.parse(arguments[1]);
            const owner = arguments[2];
            import('/app/js/audit-verify.js').then(async (m) => {
              const key = await m.parseVerifierKey(answers[0].verifierKey);
              const r = await m.verifyAudit(answers, { ownerId: owner, key, origin: answers[0].log, held, now: '2026-12-02T12:00:00Z' });
              done(JSON.stringify({ statuses: r.entries.map((e) => e.status), reasons: r.entries.map((e) => e.reason),
                consistency: r.consistency.state, consistencyReason: r.consistency.reason,
                checkpointError: (r.checkpoint && r.checkpoint.error) || null, chain: r.chain.reason, keyChanged: !!r.keyChanged,
                newHeld: r.newHeld ? r.newHeld.size : null }));
            }).catch((e) => done(JSON.stringify({ error: String((e && e.stack) || e) })));
            """;

    /** Runs every vector (arguments[0]) through verifyInclusion / verifyConsistency; returns the ones judged wrongly. */
    private static final String VECTORS = """
            const done = arguments[arguments.length - 1];
            const cases = JSON.parse(arguments[0]);
            const heads = JSON.parse(arguments[1]);
            import('/app/js/audit-verify.js').then(async (m) => {
              const b = (s) => (s ? m.b64ToBytes(s) : new Uint8Array(0));
              const wrong = [];
              for (const c of cases) {
                let error = null;
                try {
                  const proof = (c.proof || []).map(b);
                  if (c.kind === 'inclusion') await m.verifyInclusion(b(c.leafHash), c.leafIdx, c.treeSize, proof, b(c.root));
                  else await m.verifyConsistency(c.size1, c.size2, proof, b(c.root1), b(c.root2));
                } catch (e) {
                  error = e.message;
                }
                if ((error !== null) !== c.wantErr) wrong.push(c.name + ': ' + (error || 'accepted'));
              }
              // Tree heads of sizes 1 and 2 from the reference leaf inputs: leaf and node hashes as RFC 6962 §2.1.
              const leaves = await Promise.all(heads.leafInputsHex.slice(0, 2).map((x) => m.leafHash(m.hexToBytes(x))));
              const hex = (a) => Array.from(a, (x) => x.toString(16).padStart(2, '0')).join('');
              if (hex(leaves[0]) !== heads.rootHashesHexBySize[1]) wrong.push('tree head of size 1');
              if (hex(await m.nodeHash(leaves[0], leaves[1])) !== heads.rootHashesHexBySize[2]) wrong.push('tree head of size 2');
              done(JSON.stringify({ checked: cases.length, wrong }));
            }).catch((e) => done(JSON.stringify({ error: String((e && e.stack) || e) })));
            """;

    @BeforeAll
    static void openTheApp() throws Exception {
        browser = AppBrowser.open(AppStack.get().baseUrl());
        browser.waitFor("main[data-ready='true']");
        browser.driver().manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
    }

    @AfterAll
    static void close() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void everyValidRfcVectorVerifiesAndEveryMutatedOneIsRefused() throws Exception {
        Path root = Path.of(AuditVerifyBrowserIT.class.getResource("/vectors/merkle-rfc6962/tree-heads.json").toURI()).getParent();
        ArrayNode cases = JSON.createArrayNode();
        int valid = 0;
        for (String kind : List.of("inclusion", "consistency")) {
            try (Stream<Path> files = Files.walk(root.resolve(kind))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                    ObjectNode c = (ObjectNode) JSON.readTree(f.toFile());
                    c.put("kind", kind).put("name", root.relativize(f).toString());
                    valid += c.get("wantErr").asBoolean() ? 0 : 1;
                    cases.add(c);
                }
            }
        }
        JsonNode r = run(VECTORS, cases.toString(), Files.readString(root.resolve("tree-heads.json")));
        assertEquals(63, r.get("checked").asInt(), "the vector groups copied into the test resources");
        assertTrue(valid >= 4, "some vectors are valid ones: " + valid);
        assertEquals("[]", r.get("wrong").toString());
    }

    @Test
    void aGenuineAnswerVerifiesEveryEntryAndGivesTheCheckpointToKeep() throws Exception {
        SyntheticAuditLog log = sample();
        JsonNode r = verify(List.of(log.answer(log.size(), null)), null, log);
        assertEquals(List.of("verified", "verified", "verified", "verified"), strings(r.get("statuses")), r.toString());
        assertEquals("none", r.get("consistency").asText());
        assertEquals(String.valueOf(log.size()), r.get("newHeld").asText());
    }

    @Test
    void anEntryNotYetInASignedCheckpointIsPendingNotVerified() throws Exception {
        SyntheticAuditLog log = sample();
        long signed = log.size();
        log.mine("CONSENT_WITHDRAWN", Map.of("grantId", "6f1c2f4e-8b0a-4c47-9d57-2f0d6f1b3a10"));
        JsonNode r = verify(List.of(log.answer(signed, null)), null, log);
        assertEquals(List.of("verified", "verified", "verified", "verified", "pending"), strings(r.get("statuses")), r.toString());
    }

    @Test
    void anEntryChangedAfterItWasLoggedIsNotVerified() throws Exception {
        SyntheticAuditLog log = sample();
        ObjectNode answer = log.answer(log.size(), null);
        ObjectNode second = (ObjectNode) answer.get("entries").get(1);
        String entry = new String(Base64.getDecoder().decode(second.get("entry").asText()), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(entry.contains("\"epsilon\":0.5"), entry);
        second.put("entry", SyntheticAuditLog.b64(entry.replace("\"epsilon\":0.5", "\"epsilon\":0.1")));
        JsonNode r = verify(List.of(answer), null, log);
        assertEquals("verified", r.get("statuses").get(0).asText());
        assertEquals("failed", r.get("statuses").get(1).asText(), r.toString());
        assertTrue(r.get("reasons").get(1).asText().contains("commitment"), r.toString());
        assertTrue(r.get("newHeld").isNull(), "a failed check keeps nothing");
    }

    @Test
    void aForgedCheckpointLeavesNoEntryVerified() throws Exception {
        SyntheticAuditLog log = sample();
        ObjectNode answer = log.answer(log.size(), null);
        answer.put("checkpoint", log.forgedCheckpoint(log.size()));
        JsonNode r = verify(List.of(answer), null, log);
        assertEquals(List.of("failed", "failed", "failed", "failed"), strings(r.get("statuses")), r.toString());
        assertTrue(r.get("checkpointError").asText().contains("does not verify"), r.toString());
    }

    @Test
    void aHiddenEntryBreaksTheOwnersChain() throws Exception {
        SyntheticAuditLog log = sample();
        ObjectNode answer = log.answer(log.size(), null);
        ((ArrayNode) answer.get("entries")).remove(1);
        answer.put("lastSeq", 3);
        JsonNode r = verify(List.of(answer), null, log);
        assertEquals(List.of("verified", "failed", "verified"), strings(r.get("statuses")), r.toString());
        assertTrue(r.get("reasons").get(1).asText().contains("entries 2–2 before this one are missing"), r.toString());
    }

    @Test
    void aTruncatedInclusionProofIsRefused() throws Exception {
        SyntheticAuditLog log = sample();
        ObjectNode answer = log.answer(log.size(), null);
        ArrayNode proof = (ArrayNode) answer.get("entries").get(0).get("inclusionProof");
        proof.remove(proof.size() - 1);
        JsonNode r = verify(List.of(answer), null, log);
        assertEquals("failed", r.get("statuses").get(0).asText());
        assertTrue(r.get("reasons").get(0).asText().contains("inclusion proof has"), r.toString());
    }

    @Test
    void aLogThatGrewFromTheHeldCheckpointIsConsistent() throws Exception {
        SyntheticAuditLog log = sample();
        long before = log.size();
        ObjectNode held = log.held(before, "2026-12-01T09:00:00Z");
        log.other(5).mine("OWNER_KEY_ROTATED", Map.of("keyVersion", 2)).other(2);
        JsonNode r = verify(List.of(log.answer(log.size(), before)), held, log);
        assertEquals("ok", r.get("consistency").asText(), r.toString());
        assertEquals(List.of("verified", "verified", "verified", "verified", "verified"), strings(r.get("statuses")));
        assertEquals(String.valueOf(log.size()), r.get("newHeld").asText());
    }

    @Test
    void aRewoundLogIsNotConsistentWithTheHeldCheckpoint() throws Exception {
        SyntheticAuditLog log = sample();
        long now = log.size();
        log.other(4);
        ObjectNode held = log.held(log.size(), "2026-12-01T09:00:00Z");
        JsonNode r = verify(List.of(log.answer(now, null)), held, log);
        assertEquals("failed", r.get("consistency").asText());
        assertTrue(r.get("consistencyReason").asText().contains("rewound"), r.toString());
        assertTrue(strings(r.get("statuses")).stream().allMatch("failed"::equals), r.toString());
    }

    @Test
    void aForkedLogOfTheSameSizeIsNotConsistentWithTheHeldCheckpoint() throws Exception {
        SyntheticAuditLog seen = sample();
        // Another history the operator shows now: the same owner entries, other leaves around them.
        SyntheticAuditLog fork = sample();
        ObjectNode held = fork.held(fork.size(), "2026-12-01T09:00:00Z");
        held.put("verifierKey", seen.verifierKey());
        JsonNode r = verify(List.of(seen.answer(seen.size(), fork.size())), held, seen);
        assertEquals("failed", r.get("consistency").asText(), r.toString());
        assertTrue(r.get("consistencyReason").asText().contains("two different roots"), r.toString());
    }

    @Test
    void aLogGrownWithoutAConsistencyProofIsNotTrusted() throws Exception {
        SyntheticAuditLog log = sample();
        ObjectNode held = log.held(log.size(), "2026-12-01T09:00:00Z");
        log.other(3);
        JsonNode r = verify(List.of(log.answer(log.size(), null)), held, log);
        assertEquals("failed", r.get("consistency").asText());
        assertTrue(r.get("consistencyReason").asText().contains("sent no proof"), r.toString());
    }

    @Test
    void aNewLogKeyIsToldAndTheHistorySeenUnderTheOldOneMustStillHold() throws Exception {
        SyntheticAuditLog log = sample();
        ObjectNode held = log.held(log.size(), "2026-12-01T09:00:00Z");
        held.put("verifierKey", new SyntheticAuditLog().verifierKey());
        JsonNode r = verify(List.of(log.answer(log.size(), log.size())), held, log);
        assertTrue(r.get("keyChanged").asBoolean(), r.toString());
        assertEquals("ok", r.get("consistency").asText(), r.toString());

        // Under the new key, a log that does not extend what was seen is still refused.
        SyntheticAuditLog fork = sample();
        ObjectNode forkHeld = fork.held(fork.size(), "2026-12-01T09:00:00Z");
        r = verify(List.of(log.answer(log.size(), log.size())), forkHeld, log);
        assertTrue(r.get("keyChanged").asBoolean());
        assertEquals("failed", r.get("consistency").asText(), r.toString());
    }

    @Test
    void entryBytesTheCommandLineVerifierRefusesAreNotVerifiedHereEither() throws Exception {
        // Honestly logged, correctly chained, but written so that readers could disagree:
        // JSON.parse reads 2.0 as 2 and keeps the last of two equal keys.
        SyntheticAuditLog log = new SyntheticAuditLog()
                .other(2).mine("CONSENT_GRANTED", Map.of("grantId", "g-1"))
                .mineCrafted("DATA_USE", Map.of("leaseId", "l-1"), e -> e.replace("\"seq\":2,", "\"seq\":2.0,"))
                .other(1).mineCrafted("DATA_USE", Map.of("leaseId", "l-2"), e -> e.replace("{\"v\":1,", "{\"v\":1e0,"))
                .mineCrafted("DATA_USE", Map.of("leaseId", "l-3"),
                        e -> e.replace("\"kind\":\"DATA_USE\"", "\"kind\":\"CONSENT_GRANTED\",\"kind\":\"DATA_USE\""))
                .mineCrafted("DATA_USE", Map.of("leaseId", "l-4"), e -> e.replace("\"leaseId\":\"l-4\"", "\"leaseId\":\"l-4\",\"leaseId\":\"l-5\""))
                .mine("OWNER_KEY_ROTATED", Map.of("keyVersion", 2))
                .other(3);
        JsonNode r = verify(List.of(log.answer(log.size(), null)), null, log);
        assertEquals(List.of("verified", "failed", "failed", "failed", "failed", "verified"), strings(r.get("statuses")), r.toString());
        List<String> reasons = strings(r.get("reasons"));
        assertTrue(reasons.get(1).contains("\"seq\" is not a whole number"), reasons.get(1));
        assertTrue(reasons.get(2).contains("\"v\" is not a whole number"), reasons.get(2));
        assertTrue(reasons.get(3).contains("the key \"kind\" appears twice"), reasons.get(3));
        assertTrue(reasons.get(4).contains("the key \"leaseId\" appears twice"), reasons.get(4));
        assertTrue(r.get("newHeld").isNull(), "a failed check keeps nothing");
    }

    @Test
    void theEmptyLogHasOneRootAndASignedCheckpointClaimingAnotherIsRefused() throws Exception {
        SyntheticAuditLog log = new SyntheticAuditLog().mine("CONSENT_GRANTED", Map.of("grantId", "g-1"));
        ObjectNode answer = log.answer(0, null);
        byte[] notEmpty = new byte[32];
        notEmpty[0] = 1;
        answer.put("checkpoint", log.checkpointClaiming(0, notEmpty));
        answer.put("rootHash", Base64.getEncoder().encodeToString(notEmpty));
        JsonNode r = verify(List.of(answer), null, log);
        assertEquals(List.of("failed"), strings(r.get("statuses")), r.toString());
        assertTrue(r.get("checkpointError").asText().contains("empty log"), r.toString());
        // and a consistency proof from size 0 starts from the empty tree's root, no other
        JsonNode c = run("""
                const done = arguments[arguments.length - 1];
                import('/app/js/audit-verify.js').then(async (m) => {
                  const empty = await m.sha256();
                  const other = new Uint8Array(32).fill(7);
                  const outcome = async (root1) => { try { await m.verifyConsistency(0, 5, [], root1, other); return 'ok'; } catch (e) { return e.message; } };
                  done(JSON.stringify({ empty: await outcome(empty), other: await outcome(other) }));
                }).catch((e) => done(JSON.stringify({ error: String((e && e.stack) || e) })));
                """);
        assertEquals("ok", c.get("empty").asText(), c.toString());
        assertTrue(c.get("other").asText().contains("empty root"), c.toString());
    }

    /** Four owner entries among other owners' leaves (sizes off powers of two). */
    private static SyntheticAuditLog sample() {
        return new SyntheticAuditLog()
                .other(3).mine("CONSENT_GRANTED", Map.of("grantId", "6f1c2f4e-8b0a-4c47-9d57-2f0d6f1b3a10", "version", 1))
                .other(6).mine("DATA_USE", Map.of("leaseId", "0b7d1b8e-3c52-4a0e-a8f4-9a1b6c1e2d33", "epsilon", 0.5, "metric", "heart_rate"))
                .mine("OWNER_KEY_ROTATED", Map.of("keyVersion", 2))
                .other(2).mine("CONSENT_AMENDED", Map.of("grantId", "6f1c2f4e-8b0a-4c47-9d57-2f0d6f1b3a10", "version", 2))
                .other(1);
    }

    private static JsonNode verify(List<ObjectNode> answers, ObjectNode held, SyntheticAuditLog log) throws Exception {
        JsonNode r = run(VERIFY, JSON.writeValueAsString(answers), held == null ? "null" : held.toString(), log.owner.toString());
        assertNull(r.get("error"), () -> r.get("error").asText());
        return r;
    }

    private static JsonNode run(String script, Object... args) throws Exception {
        Object out = browser.driver().executeAsyncScript(script, args);
        JsonNode r = JSON.readTree(String.valueOf(out));
        assertNull(r.get("error"), () -> r.get("error").asText());
        return r;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
