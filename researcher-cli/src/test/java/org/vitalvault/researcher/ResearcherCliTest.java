package org.vitalvault.researcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitalvault.crypto.JwsVerifier;
import picocli.CommandLine;

/**
 * The commands end to end against a stand-in vault (the JDK's HTTP server): what they send, what they
 * print, and their exit status — 1 with the problem's title, detail and reasons when the vault refuses.
 */
class ResearcherCliTest {

    private static final UUID ORG = UUID.fromString("0b6f3f1e-8d7a-4d0e-9a51-0d3c2f7e1a10");
    private static final UUID LEASE = UUID.fromString("5b0c1c2e-8d7a-4d0e-9a51-0d3c2f7e1a10");

    @TempDir
    Path dir;

    private HttpServer server;
    private final List<String[]> received = new ArrayList<>();   // method, path, content type, authorization, body
    private int status = 200;
    private String reply = "{}";
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange x) throws java.io.IOException {
        received.add(new String[] {x.getRequestMethod(), x.getRequestURI().getPath(), x.getRequestHeaders().getFirst("Content-Type"),
            x.getRequestHeaders().getFirst("Authorization"), new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)});
        byte[] body = reply.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", status >= 400 ? "application/problem+json" : "application/json");
        x.sendResponseHeaders(status, body.length);
        x.getResponseBody().write(body);
        x.close();
    }

    private int run(String... args) {
        CommandLine cli = ResearcherCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of(args));
        if (!all.isEmpty() && !all.get(0).equals("keygen") && !all.get(0).equals("verify") && !all.get(0).equals("csv")) {
            all.addAll(List.of("--vault", "http://127.0.0.1:" + server.getAddress().getPort()));
        }
        return cli.execute(all.toArray(String[]::new));
    }

    private Path key() throws Exception {
        Path file = dir.resolve("org.key");
        if (!Files.exists(file)) {
            assertEquals(0, run("keygen", "--out", file.toString()));
        }
        return file;
    }

    @Test
    void keygenPrintsThePublicJwkAndRegisterSendsIt() throws Exception {
        Path key = key();
        JsonNode printed = VaultFixtures.JSON.readTree(out.toString());
        assertEquals("OKP", printed.get("kty").asText());
        reply = "{\"id\":\"" + ORG + "\",\"name\":\"Lab\",\"status\":\"REGISTERED\"}";
        assertEquals(0, run("register", "--name", "Lab", "--key", key.toString(), "--token", "t0k"));
        String[] call = received.get(0);
        assertEquals("POST /researchers", call[0] + " " + call[1]);
        assertEquals("Bearer t0k", call[3]);
        JsonNode body = VaultFixtures.JSON.readTree(call[4]);
        assertEquals("Lab", body.get("name").asText());
        assertEquals(printed, body.get("publicKey"));
    }

    @Test
    void aLeaseRequestIsPostedAsAJwsTheOrganisationsKeySigned() throws Exception {
        Path key = key();
        reply = "{\"lease\":{\"leaseId\":\"" + LEASE + "\",\"terms\":{\"epsilon\":1.0},\"expiresAt\":\"2099-01-01T00:00:00Z\"},"
                + "\"document\":\"x.y.z\"}";
        Path saved = dir.resolve("lease.json");
        assertEquals(0, run("lease", "request", "--org", ORG.toString(), "--key", key.toString(), "--token", "t",
                "--metrics", "heart_rate,spo2", "--from", "today-28d", "--epsilon", "1", "--regions", "DE", "--out", saved.toString()));
        String[] call = received.get(0);
        assertEquals("POST /researchers/" + ORG + "/leases", call[0] + " " + call[1]);
        assertEquals("application/jose", call[2]);
        byte[] x = Base64.getUrlDecoder().decode(KeyFile.read(key).publicJwk().get("x"));
        JsonNode p = VaultFixtures.JSON.readTree(JwsVerifier.verify(call[4], x, "vitalvault.lease-request"));
        assertEquals(List.of("heart_rate", "spo2"), List.of(p.get("metrics").get(0).asText(), p.get("metrics").get(1).asText()));
        assertTrue(p.get("dataWindow").get("from").asText().endsWith("T00:00:00Z"));
        assertEquals("DE", p.get("regions").get(0).asText());
        assertEquals(reply, Files.readString(saved));
        assertTrue(err.toString().contains("lease " + LEASE + " granted"));
    }

    @Test
    void aLeaseThatNamesAnotherRequestIsNotTakenForThisOne() throws Exception {
        Path key = key();
        reply = "{\"lease\":{\"leaseId\":\"" + LEASE + "\",\"requestDigest\":\"00ff\"},\"document\":\"x.y.z\"}";
        Path request = dir.resolve("request.jws");
        assertEquals(1, run("lease", "request", "--org", ORG.toString(), "--key", key.toString(), "--token", "t",
                "--metrics", "heart_rate", "--from", "today-28d", "--epsilon", "1", "--request-out", request.toString()));
        assertTrue(err.toString().contains("does not answer the request"), err.toString());
        assertEquals(received.get(0)[4], Files.readString(request));
    }

    @Test
    void aRefusalPrintsTheProblemsTitleDetailAndReasonsAndExitsOne() throws Exception {
        Path key = key();
        status = 403;
        reply = "{\"type\":\"https://vitalvault.org/problems/lease-denied\",\"title\":\"Lease denied\",\"status\":403,"
                + "\"detail\":\"the policy refused the request\",\"reasons\":[{\"code\":\"NO_MATCHING_GRANT\",\"message\":\"no grant covers it\"}]}";
        assertEquals(1, run("lease", "request", "--org", ORG.toString(), "--key", key.toString(), "--token", "t",
                "--metrics", "heart_rate", "--from", "today-28d", "--epsilon", "1"));
        assertTrue(err.toString().contains("403 Lease denied"), err.toString());
        assertTrue(err.toString().contains("the policy refused the request"));
        assertTrue(err.toString().contains("reason NO_MATCHING_GRANT: no grant covers it"));
    }

    @Test
    void aQueryPrintsCsvAndSavesTheAnswerForVerification() throws Exception {
        Path key = key();
        reply = VaultFixtures.ANSWER;
        Path saved = dir.resolve("answer.json");
        assertEquals(0, run("query", "--org", ORG.toString(), "--key", key.toString(), "--token", "t", "--lease", LEASE.toString(),
                "--metric", "heart_rate", "--kinds", "MEAN,QUANTILES", "--quantiles", "0.5,0.975",
                "--from", "today-7d", "--until", "today", "--epsilon", "0.5", "--csv", "--out", saved.toString()));
        String[] call = received.get(0);
        assertEquals("POST /researchers/" + ORG + "/leases/" + LEASE + "/queries", call[0] + " " + call[1]);
        byte[] x = Base64.getUrlDecoder().decode(KeyFile.read(key).publicJwk().get("x"));
        JsonNode p = VaultFixtures.JSON.readTree(JwsVerifier.verify(call[4], x, "vitalvault.lease-query"));
        assertEquals(LEASE.toString(), p.get("leaseId").asText());
        assertEquals(AnswerCsv.of(VaultFixtures.JSON.readTree(VaultFixtures.ANSWER)), out.toString().replace("\r\n", "\n")
                .substring(out.toString().indexOf("start,")));
        assertEquals(VaultFixtures.ANSWER, Files.readString(saved));
    }

    @Test
    void verifyAnswerExitsZeroForTheVaultsSignatureAndOneForAChangedNumber() throws Exception {
        VaultFixtures vault = new VaultFixtures();
        Path keys = vault.jwks(dir);
        Path good = dir.resolve("good.json");
        Files.writeString(good, vault.signedAnswer());
        assertEquals(0, run("verify", "answer", "--keys", keys.toString(), good.toString()));
        assertTrue(out.toString().startsWith("VALID answer to query 7d0e5b0c"), out.toString());
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, vault.signedAnswer().replace("\"value\":71.25", "\"value\":75.25"));
        assertEquals(1, run("verify", "answer", "--keys", keys.toString(), bad.toString()));
        assertTrue(out.toString().contains("INVALID"));
    }

    @Test
    void aKeyRotationIsAJwsTheCurrentKeySignsThatNamesTheNewPublicKey() throws Exception {
        Path current = key();
        Path next = dir.resolve("org-2.key");
        assertEquals(0, run("keygen", "--out", next.toString()));
        KeyFile nextKey = KeyFile.read(next);
        byte[] currentBytes = Files.readAllBytes(current);
        byte[] nextBytes = Files.readAllBytes(next);
        reply = "{\"kid\":\"0123456789abcdef\",\"publicKey\":" + VaultFixtures.JSON.writeValueAsString(nextKey.publicJwk())
                + ",\"validFrom\":\"2026-12-02T05:00:00Z\",\"retiredAt\":null,\"rotation\":\"x.y.z\"}";
        Instant before = Instant.now().minusSeconds(1);
        assertEquals(0, run("key", "rotate", "--org", ORG.toString(), "--key", current.toString(), "--new-key", next.toString(),
                "--token", "t"));
        String[] call = received.get(0);
        assertEquals("POST /researchers/" + ORG + "/keys", call[0] + " " + call[1]);
        assertEquals("application/jose", call[2]);
        assertEquals("Bearer t", call[3]);
        byte[] currentX = Base64.getUrlDecoder().decode(KeyFile.read(current).publicJwk().get("x"));
        JsonNode p = VaultFixtures.JSON.readTree(JwsVerifier.verify(call[4], currentX, "vitalvault.key-rotation"));
        assertEquals(ORG.toString(), p.get("organisation").asText());
        assertEquals(VaultFixtures.JSON.valueToTree(nextKey.publicJwk()), p.get("publicKey"));
        assertFalse(Instant.parse(p.get("issuedAt").asText()).isBefore(before));
        byte[] nextX = Base64.getUrlDecoder().decode(nextKey.publicJwk().get("x"));
        assertThrows(JwsVerifier.InvalidJwsException.class, () -> JwsVerifier.verify(call[4], nextX));
        assertTrue(out.toString().contains("\"kid\" : \"0123456789abcdef\""), out.toString());
        assertTrue(err.toString().contains("export VITALVAULT_KEY=" + next), err.toString());
        // Nothing on disk changes: the user switches to the new key file knowingly.
        assertArrayEquals(currentBytes, Files.readAllBytes(current));
        assertArrayEquals(nextBytes, Files.readAllBytes(next));
    }

    @Test
    void rotatingToTheCurrentKeySendsNothingAndExitsTwo() throws Exception {
        Path current = key();
        assertEquals(2, run("key", "rotate", "--org", ORG.toString(), "--key", current.toString(), "--new-key", current.toString(),
                "--token", "t"));
        assertTrue(received.isEmpty());
        assertTrue(err.toString().contains("holds the current key"), err.toString());
    }

    @Test
    void aRotationTheVaultAnswersWithAnotherKeyIsNotTakenForThisOne() throws Exception {
        Path current = key();
        Path next = dir.resolve("org-2.key");
        assertEquals(0, run("keygen", "--out", next.toString()));
        reply = "{\"kid\":\"0123456789abcdef\",\"publicKey\":" + VaultFixtures.JSON.writeValueAsString(KeyFile.generate().publicJwk())
                + "}";
        assertEquals(1, run("key", "rotate", "--org", ORG.toString(), "--key", current.toString(), "--new-key", next.toString(),
                "--token", "t"));
        assertTrue(err.toString().contains("is not the one in " + next), err.toString());
        assertFalse(err.toString().contains("export VITALVAULT_KEY"));
    }

    @Test
    void aRefusedRotationPrintsTheProblemAndExitsOne() throws Exception {
        Path current = key();
        Path next = dir.resolve("org-2.key");
        assertEquals(0, run("keygen", "--out", next.toString()));
        status = 409;
        reply = "{\"type\":\"https://vitalvault.org/problems/researcher-key-reused\",\"title\":\"Key used before\",\"status\":409,"
                + "\"detail\":\"the organisation has had this key before\"}";
        assertEquals(1, run("key", "rotate", "--org", ORG.toString(), "--key", current.toString(), "--new-key", next.toString(),
                "--token", "t"));
        assertTrue(err.toString().contains("409 Key used before"), err.toString());
        assertTrue(err.toString().contains("the organisation has had this key before"));
    }

    @Test
    void keysListsTheOrganisationsKeys() throws Exception {
        reply = "[{\"kid\":\"0123456789abcdef\",\"retiredAt\":null}]";
        assertEquals(0, run("keys", "--org", ORG.toString(), "--token", "t"));
        assertEquals("GET /researchers/" + ORG + "/keys", received.get(0)[0] + " " + received.get(0)[1]);
        assertEquals("0123456789abcdef", VaultFixtures.JSON.readTree(out.toString()).get(0).get("kid").asText());
    }

    @Test
    void anOperatorSuspendsAndReinstatesWithTheReasonInTheBody() throws Exception {
        reply = "{\"id\":\"" + ORG + "\",\"status\":\"SUSPENDED\"}";
        assertEquals(0, run("operator", "suspend", ORG.toString(), "--reason", "leaked key, under review", "--token", "ops"));
        reply = "{\"id\":\"" + ORG + "\",\"status\":\"APPROVED\"}";
        assertEquals(0, run("operator", "reinstate", ORG.toString(), "--reason", "key rotated", "--token", "ops"));
        String[] suspend = received.get(0);
        assertEquals("POST /operator/researchers/" + ORG + "/suspend", suspend[0] + " " + suspend[1]);
        assertEquals("application/json", suspend[2]);
        assertEquals("Bearer ops", suspend[3]);
        assertEquals("leaked key, under review", VaultFixtures.JSON.readTree(suspend[4]).get("reason").asText());
        String[] reinstate = received.get(1);
        assertEquals("POST /operator/researchers/" + ORG + "/reinstate", reinstate[0] + " " + reinstate[1]);
        assertEquals("key rotated", VaultFixtures.JSON.readTree(reinstate[4]).get("reason").asText());
        assertTrue(err.toString().contains(ORG + " is SUSPENDED now"), err.toString());
    }

    @Test
    void aSuspensionNeedsAReasonAndSendsNothingWithout() throws Exception {
        assertEquals(2, run("operator", "suspend", ORG.toString(), "--token", "ops"));
        assertEquals(2, run("operator", "suspend", ORG.toString(), "--reason", " ", "--token", "ops"));
        assertTrue(received.isEmpty());
    }

    @Test
    void suspendingTwiceIsRefusedWithTheProblemAndExitOne() throws Exception {
        status = 409;
        reply = "{\"type\":\"https://vitalvault.org/problems/researcher-already-suspended\",\"title\":\"Already suspended\","
                + "\"status\":409,\"detail\":\"organisation is suspended already\"}";
        assertEquals(1, run("operator", "suspend", ORG.toString(), "--reason", "again", "--token", "ops"));
        assertTrue(err.toString().contains("409 Already suspended"), err.toString());
    }

    @Test
    void statusChangesAreReadWithTheOperatorsToken() throws Exception {
        reply = "[{\"status\":\"SUSPENDED\",\"reason\":\"r\",\"by\":\"ops\",\"at\":\"2026-12-02T05:00:00Z\"}]";
        assertEquals(0, run("operator", "status-changes", ORG.toString(), "--token", "ops"));
        assertEquals("GET /operator/researchers/" + ORG + "/status-changes", received.get(0)[0] + " " + received.get(0)[1]);
        assertEquals("Bearer ops", received.get(0)[3]);
    }

    @Test
    void withoutATokenNothingIsSentAndTheExitIsTwo() throws Exception {
        Path key = key();
        assertEquals(2, run("register", "--name", "Lab", "--key", key.toString(), "--token", ""));
        assertTrue(received.isEmpty());
        assertTrue(err.toString().contains("--token or VITALVAULT_TOKEN"));
    }

    @Test
    void anUnreachableVaultExitsThree() throws Exception {
        Path key = key();
        CommandLine cli = ResearcherCli.commandLine();
        cli.setErr(new PrintWriter(err, true));
        server.stop(0);
        assertEquals(3, cli.execute("register", "--name", "Lab", "--key", key.toString(), "--token", "t",
                "--vault", "http://127.0.0.1:" + server.getAddress().getPort()));
        assertTrue(err.toString().contains("cannot reach the vault"), err.toString());
    }
}
