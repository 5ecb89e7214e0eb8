package org.vitalvault.deploy.audit;

import org.vitalvault.deploy.StandingTerms;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import java.util.ArrayList;
import java.util.Base64;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.vitalvault.deploy.stack.VaultClient;
import org.vitalvault.tlog.Checkpoint;
import org.vitalvault.tlog.NoteKey;
import org.vitalvault.tlog.SignedNote;

/** The public audit endpoints (GET /audit/checkpoint, /audit/key, /audit/consistency) and audited events. */
final class AuditHttp {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private AuditHttp() {
    }

    /** The latest signed checkpoint a replica serves, or empty before the first (404). */
    static Optional<String> checkpoint(String vaultUrl) throws Exception {
        HttpResponse<String> r = get(vaultUrl + "/audit/checkpoint");
        if (r.statusCode() == 404) {
            return Optional.empty();
        }
        assertEquals(200, r.statusCode(), r.body());
        return Optional.of(r.body());
    }

    /** The vault's checkpoint key, as GET /audit/key publishes it. */
    static NoteKey key(String vaultUrl) throws Exception {
        HttpResponse<String> r = get(vaultUrl + "/audit/key");
        assertEquals(200, r.statusCode(), r.body());
        return NoteKey.parse(JSON.readTree(r.body()).get("verifierKey").asText());
    }

    /** The checkpoint in {@code note}, after its signature by {@code key} verified. */
    static Checkpoint open(String note, NoteKey key) throws Exception {
        Checkpoint c = Checkpoint.parse(SignedNote.open(note, key));
        assertEquals(key.name(), c.origin(), "the checkpoint names the log the key signs for");
        return c;
    }

    /** GET /audit/consistency?from=A&to=B: the proof's hashes. */
    static List<byte[]> consistency(String vaultUrl, long from, long to) throws Exception {
        HttpResponse<String> r = get(vaultUrl + "/audit/consistency?from=" + from + "&to=" + to);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode body = JSON.readTree(r.body());
        assertEquals(from, body.get("fromSize").asLong());
        assertEquals(to, body.get("toSize").asLong());
        List<byte[]> proof = new ArrayList<>();
        body.get("proof").forEach(h -> proof.add(Base64.getDecoder().decode(h.asText())));
        return proof;
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** An organisation registered through {@code a} and approved through {@code b}: an audience for grants. */
    static UUID researcher(VaultClient a, VaultClient b, String name) throws Exception {
        String token = a.devToken("audit-researcher-" + UUID.randomUUID(), "researcher");
        VaultClient.Reply r = a.send("POST", "/researchers", token, Map.of("name", name,
                "publicKey", org.vitalvault.researcher.KeyFile.generate().publicJwk()));
        assertEquals(201, r.status(), () -> String.valueOf(r.body()));
        UUID org = UUID.fromString(r.body().get("id").asText());
        VaultClient.Reply approved = b.send("POST", "/operator/researchers/" + org + "/approve",
                b.devToken("audit-operator", "operator"), null);
        assertEquals(200, approved.status(), () -> String.valueOf(approved.body()));
        return org;
    }

    /** Grants the organisation a standing consent (an audited consent event); returns the grant id. */
    static UUID grant(VaultClient vault, String token, UUID owner, UUID org) throws Exception {
        Map<String, Object> terms = StandingTerms.of("heart_rate");
        VaultClient.Reply granted = vault.send("POST", "/owners/" + owner + "/grants", token,
                Map.of("audience", Map.of("researcher", org.toString()), "terms", terms));
        assertEquals(201, granted.status(), () -> String.valueOf(granted.body()));
        return UUID.fromString(granted.body().get("grant").get("id").asText());
    }

    /** Withdraws the grant (an audited consent event). */
    static void withdraw(VaultClient vault, String token, UUID owner, UUID grant) throws Exception {
        VaultClient.Reply r = vault.send("DELETE", "/owners/" + owner + "/grants/" + grant, token, null);
        assertEquals(200, r.status(), () -> String.valueOf(r.body()));
    }
}
