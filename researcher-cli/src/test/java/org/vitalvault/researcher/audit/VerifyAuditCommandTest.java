package org.vitalvault.researcher.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitalvault.researcher.ResearcherCli;
import picocli.CommandLine;

/** {@code verify-audit} end to end: what it prints, its exit status, and when it saves the held checkpoint. */
class VerifyAuditCommandTest {

    private static final UUID OWNER = UUID.fromString("11111111-2222-4333-8444-555555555555");

    @TempDir
    Path dir;

    private AuditLogFixture log;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private Path audit;
    private Path held;
    private long heldSize;

    @BeforeEach
    void log() throws Exception {
        log = new AuditLogFixture();
        for (int i = 0; i < 4; i++) {
            log.append(OWNER, "DATA_USE");
            log.appendDeployment();
        }
        heldSize = log.size();
        held = dir.resolve("held.checkpoint");
        Files.writeString(held, log.signedCheckpoint(heldSize));
        log.append(OWNER, "CONSENT_AMENDED");
        audit = dir.resolve("audit.json");
        write(log.response(OWNER, log.size(), heldSize));
    }

    private void write(ObjectNode response) throws Exception {
        Files.writeString(audit, AuditLogFixture.JSON.writeValueAsString(response));
    }

    private int run(String... args) {
        CommandLine cli = ResearcherCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of("verify-audit"));
        all.addAll(java.util.List.of(args));
        if (!all.contains("--owner")) {
            all.addAll(java.util.List.of("--owner", OWNER.toString()));
        }
        return cli.execute(all.toArray(String[]::new));
    }

    @Test
    void anHonestAuditExitsZeroWithOneLinePerEntry() {
        assertEquals(0, run("--key", log.key.verifierKey(), "--audit", audit.toString(), "--held", held.toString(),
                "--owner", OWNER.toString()), err.toString());
        String[] lines = out.toString().split("\n");
        assertTrue(lines[0].startsWith("CHECKPOINT VERIFIED log=vitalvault.local/audit size=" + log.size()), lines[0]);
        assertTrue(lines[1].startsWith("CONSISTENCY VERIFIED held size=" + heldSize), lines[1]);
        assertEquals("VERIFIED seq=1 kind=DATA_USE leaf=0", lines[2]);
        assertEquals("VERIFIED seq=5 kind=CONSENT_AMENDED leaf=" + (log.size() - 1), lines[6]);
        assertEquals("RESULT VERIFIED entries=5 verified=5 pending=0 failed=0", lines[7]);
    }

    @Test
    void theKeyMayBeAFileWithTheKeyOrTheKeyEndpointsJson() throws Exception {
        Path bare = Files.writeString(dir.resolve("vault.vkey"), log.key.verifierKey() + "\n");
        assertEquals(0, run("--key", bare.toString(), "--audit", audit.toString()), err.toString());
        Path json = Files.writeString(dir.resolve("key.json"), "{\"origin\":\"vitalvault.local/audit\",\"verifierKey\":\""
                + log.key.verifierKey() + "\",\"publicKey\":\"x\"}");
        assertEquals(0, run("--key", json.toString(), "--audit", audit.toString()), err.toString());
    }

    private int cliWithoutOwner(String... args) {
        CommandLine cli = ResearcherCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of("verify-audit"));
        all.addAll(java.util.List.of(args));
        return cli.execute(all.toArray(String[]::new));
    }

    @Test
    void aFailureExitsOneAndSavesNothing() throws Exception {
        ObjectNode r = log.response(OWNER, log.size(), heldSize);
        ((ObjectNode) r.path("entries").get(2)).put("salt", AuditLogFixture.b64(new byte[32]));
        write(r);
        String before = Files.readString(held);
        assertEquals(1, run("--key", log.key.verifierKey(), "--audit", audit.toString(), "--held", held.toString(), "--save-held"));
        assertTrue(out.toString().contains("FAILED seq=3 the commitment is not SHA-256 of its salt and entry"), out.toString());
        assertTrue(out.toString().contains("RESULT FAILED"));
        assertEquals(before, Files.readString(held), "a failed check never replaces the held checkpoint");
    }

    @Test
    void saveHeldKeepsTheNewCheckpointOnlyWhenEverythingVerified() throws Exception {
        assertEquals(0, run("--key", log.key.verifierKey(), "--audit", audit.toString(), "--held", held.toString(), "--save-held"));
        assertEquals(log.signedCheckpoint(log.size()), Files.readString(held));
        // First use: a held file that does not exist yet is created.
        Path first = dir.resolve("sub/first.checkpoint");
        assertEquals(0, run("--key", log.key.verifierKey(), "--audit", audit.toString(), "--held", first.toString(), "--save-held"));
        assertTrue(Files.readString(first).startsWith("vitalvault.local/audit\n" + log.size() + "\n"));
    }

    @Test
    void aRewindAgainstTheHeldCheckpointExitsOne() throws Exception {
        Files.writeString(held, log.signedCheckpoint(log.size()));
        write(log.response(OWNER, heldSize, null));
        assertEquals(1, run("--key", log.key.verifierKey(), "--audit", audit.toString(), "--held", held.toString()));
        assertTrue(out.toString().contains("CONSISTENCY FAILED rewound"), out.toString());
    }

    @Test
    void usageAndInputErrorsExitTwo() throws Exception {
        assertEquals(2, run("--audit", audit.toString()));
        assertEquals(2, cliWithoutOwner("--key", log.key.verifierKey(), "--audit", audit.toString()),
                "without --owner another owner's complete chain would verify");
        assertEquals(2, run("--key", "not-a-key", "--audit", audit.toString()));
        assertEquals(2, run("--key", "a+b+c", "--audit", audit.toString()));
        assertEquals(2, run("--key", log.key.verifierKey(), "--audit", dir.resolve("missing.json").toString()));
        Files.writeString(audit, "{not json");
        assertEquals(2, run("--key", log.key.verifierKey(), "--audit", audit.toString()));
        write(log.response(OWNER, log.size(), null));
        assertEquals(2, run("--key", log.key.verifierKey(), "--audit", audit.toString(), "--held", dir.resolve("none").toString()));
        assertEquals(2, run("--key", log.key.verifierKey(), "--audit", audit.toString(), "--save-held"));
        assertFalse(err.toString().isEmpty());
    }
}
