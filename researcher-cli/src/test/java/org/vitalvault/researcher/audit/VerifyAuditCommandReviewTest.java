package org.vitalvault.researcher.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitalvault.researcher.ResearcherCli;
import picocli.CommandLine;

/**
 * Review of issue 17: an operator with the database and the signing key rewrites the tail of an
 * owner's chain the owner already verified (new contents, new salts, prev links re-made) and
 * integrates the rewritten entries as new leaves. The tree only grew, so the held checkpoint's
 * consistency proof holds and every rewritten entry has a valid inclusion proof; only the entry the
 * owner saw last betrays it — the app keeps it with the held checkpoint, and so must verify-audit.
 */
class VerifyAuditCommandReviewTest {

    private static final UUID OWNER = UUID.fromString("11111111-2222-4333-8444-555555555555");

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = ResearcherCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 1];
        all[0] = "verify-audit";
        System.arraycopy(args, 0, all, 1, args.length);
        return cli.execute(all);
    }

    @Test
    void aVerifiedTailRewrittenAndIntegratedAgainIsRefusedNextTime() throws Exception {
        AuditLogFixture log = new AuditLogFixture();
        for (int i = 0; i < 4; i++) {
            log.append(OWNER, "DATA_USE");
            log.appendDeployment();
        }
        long seen = log.size();
        Path held = dir.resolve("held.checkpoint");
        Path audit = dir.resolve("audit.json");
        Files.writeString(audit, AuditLogFixture.JSON.writeValueAsString(log.response(OWNER, seen, null)));
        assertEquals(0, run("--key", log.key.verifierKey(), "--audit", audit.toString(), "--held", held.toString(),
                "--save-held", "--owner", OWNER.toString()), out + "\n" + err);

        // The operator rewrites seq 3 and 4 (another organisation's use, say) and appends them as new leaves.
        byte[] prev = log.entriesOf(OWNER).get(1).commitment();
        for (long seq = 3; seq <= 4; seq++) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("v", 1);
            e.put("log", AuditLogFixture.ORIGIN);
            e.put("kind", "DATA_USE");
            e.put("at", "2026-12-02T17:00:0" + seq + "Z");
            e.put("owner", OWNER.toString());
            e.put("seq", seq);
            e.put("prev", Base64.getEncoder().encodeToString(prev));
            e.put("details", Map.of("leaseId", UUID.randomUUID().toString(), "count", 1));
            prev = log.appendRaw(OWNER, seq, AuditLogFixture.JSON.writeValueAsBytes(e)).commitment();
            log.appendDeployment();
        }
        ObjectNode r = log.response(OWNER, log.size(), seen);
        ArrayNode kept = AuditLogFixture.JSON.createArrayNode();
        for (JsonNode entry : r.path("entries")) {
            // The vault shows seq 1, 2 and the rewritten 3, 4: the originals' rows are gone.
            if (entry.path("seq").asLong() <= 2 || entry.path("leafIndex").asLong() >= seen) {
                kept.add(entry);
            }
        }
        r.set("entries", kept);
        r.put("lastSeq", 4);
        Files.writeString(audit, AuditLogFixture.JSON.writeValueAsString(r), StandardCharsets.UTF_8);
        String before = Files.readString(held);
        assertEquals(1, run("--key", log.key.verifierKey(), "--audit", audit.toString(), "--held", held.toString(),
                "--save-held", "--owner", OWNER.toString()), out + "\n" + err);
        assertEquals(before, Files.readString(held));
    }
}
