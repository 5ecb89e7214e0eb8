package org.vitalvault.deploy.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vitalvault.deploy.TestFolders;
import org.vitalvault.deploy.stack.LocalStack;
import org.vitalvault.deploy.stack.VaultClient;

/**
 * {@code deploy/verify-audit.sh} as an owner runs it, against the real stack (vault process, real
 * PostgreSQL): the key from {@code GET /audit/key}, the audit from {@code GET /owners/{id}/audit},
 * the held checkpoint saved on the first run and checked on the next (exit 0); then the operator
 * rewrites the latest checkpoint in SQL and the same command refuses it (exit 1).
 */
class VerifyAuditScriptIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static LocalStack stack;
    private static VaultClient vault;
    private static Path repo;
    private static Path work;

    @BeforeAll
    static void startStack() throws Exception {
        repo = Path.of(System.getProperty("vitalvault.repo", "..")).toAbsolutePath().normalize();
        Path data = TestFolders.create("verify-audit");
        work = Files.createDirectories(data.resolve("owner"));
        stack = LocalStack.start(new LocalStack.Options(repo, data, Optional.empty(), "postgres", "", Optional.empty(),
                Optional.empty(), Optional.empty(), 0, 0, freePort(), freePort(),
                Map.of("vitalvault.gateway.mqtt.client-id", "verify-audit-" + UUID.randomUUID())));
        vault = new VaultClient(stack.vaultUrl());
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            try {
                stack.close();
            } finally {
                TestFolders.delete(stack.dataDir());
            }
        }
    }

    @Test
    void anHonestAuditVerifiesAndARewrittenCheckpointIsRefused() throws Exception {
        String token = vault.devToken("audit-owner-" + UUID.randomUUID(), "owner");
        UUID owner = vault.registerOrFind(token);
        JsonNode first = awaitCheckpoint(token, owner);
        Files.writeString(work.resolve("audit-key.json"), JSON.writeValueAsString(vault.send("GET", "/audit/key", null, null).body()));
        Files.writeString(work.resolve("audit.json"), JSON.writeValueAsString(first));

        Path held = work.resolve("held.checkpoint");
        Run honest = verifyAudit("--key", "audit-key.json", "--audit", "audit.json", "--held", "held.checkpoint", "--save-held",
                "--owner", owner.toString());
        assertEquals(0, honest.exit(), honest.output());
        assertTrue(honest.output().contains("CHECKPOINT VERIFIED log="), honest.output());
        assertTrue(honest.output().contains("RESULT VERIFIED"), honest.output());
        assertEquals(first.get("checkpoint").asText(), Files.readString(held), "--save-held kept the verified checkpoint");
        long heldSize = first.get("treeSize").asLong();

        // The next check, from the checkpoint kept: the log still extends it.
        Files.writeString(work.resolve("audit.json"), JSON.writeValueAsString(audit(token, owner, heldSize)));
        Run again = verifyAudit("--key", "audit-key.json", "--audit", "audit.json", "--held", "held.checkpoint",
                "--owner", owner.toString());
        assertEquals(0, again.exit(), again.output());
        assertTrue(again.output().contains("CONSISTENCY VERIFIED held size=" + heldSize), again.output());

        // The operator rewrites the latest checkpoint's root in SQL.
        try (Connection c = DriverManager.getConnection(stack.jdbcUrl(), "postgres", "")) {
            long latest;
            byte[] root;
            try (PreparedStatement ps = c.prepareStatement(
                    "select tree_size, root_hash from audit_checkpoint order by tree_size desc limit 1");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                latest = rs.getLong(1);
                root = rs.getBytes(2);
            }
            byte[] forged = root.clone();
            forged[5] ^= 1;
            try (PreparedStatement ps = c.prepareStatement(
                    "update audit_checkpoint set note = replace(note, ?, ?), root_hash = ? where tree_size = ?")) {
                ps.setString(1, Base64.getEncoder().encodeToString(root));
                ps.setString(2, Base64.getEncoder().encodeToString(forged));
                ps.setBytes(3, forged);
                ps.setLong(4, latest);
                assertEquals(1, ps.executeUpdate());
            }
        }
        Files.writeString(work.resolve("audit.json"), JSON.writeValueAsString(audit(token, owner, heldSize)));
        String before = Files.readString(held);
        Run tampered = verifyAudit("--key", "audit-key.json", "--audit", "audit.json", "--held", "held.checkpoint", "--save-held",
                "--owner", owner.toString());
        assertEquals(1, tampered.exit(), tampered.output());
        assertTrue(tampered.output().contains("CHECKPOINT FAILED the signature by"), tampered.output());
        assertTrue(tampered.output().contains("RESULT FAILED"), tampered.output());
        assertEquals(before, Files.readString(held), "a refused audit never replaces the held checkpoint");

        Run usage = verifyAudit("--audit", "audit.json");
        assertEquals(2, usage.exit(), usage.output());
    }

    /** The owner's audit once a checkpoint exists (the vault signs the empty tree at start). */
    private static JsonNode awaitCheckpoint(String token, UUID owner) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            VaultClient.Reply r = vault.send("GET", "/owners/" + owner + "/audit?limit=1000", token, null);
            if (r.status() == 200 && r.body().path("checkpoint").isTextual() && r.body().path("pending").asLong() == 0) {
                return r.body();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no checkpoint covering the owner's entries within 60 s: " + r.status() + " " + r.body());
            }
            Thread.sleep(250);
        }
    }

    private static JsonNode audit(String token, UUID owner, long since) throws Exception {
        VaultClient.Reply r = vault.send("GET", "/owners/" + owner + "/audit?limit=1000&since=" + since, token, null);
        assertEquals(200, r.status(), String.valueOf(r.body()));
        return r.body();
    }

    private record Run(int exit, String output) {
    }

    /** Runs the real script from the owner's folder (relative file names are the owner's). */
    private static Run verifyAudit(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>();
        command.add(repo.resolve("deploy/verify-audit.sh").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true).start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("verify-audit.sh did not finish");
        }
        return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
