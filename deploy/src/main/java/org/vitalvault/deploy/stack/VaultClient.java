package org.vitalvault.deploy.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

/** A small client of the vault's REST API, as the simulator and the end-to-end tests use it. */
public final class VaultClient {

    private final String baseUrl;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();

    public VaultClient(String baseUrl) {
        this.baseUrl = baseUrl;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** Over HTTPS, trusting what {@code tls} trusts (e.g. the local CA). */
    public VaultClient(String baseUrl, javax.net.ssl.SSLContext tls) {
        this.baseUrl = baseUrl;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).sslContext(tls).build();
    }

    /** What pairing returned: the device's id, topic and one-time credential. */
    public record Pairing(UUID deviceId, String topic, String credential, byte[] macKey) {
        @Override
        public String toString() {
            return "Pairing[" + deviceId + "]";
        }
    }

    /** A response: status and parsed body (null when empty). */
    public record Reply(int status, JsonNode body) {
    }

    /** Mints a token with the local stack's development endpoint. */
    public String devToken(String subject, String role) throws IOException, InterruptedException {
        Reply r = send("POST", "/dev/tokens", null, Map.of("subject", subject, "role", role));
        expect(r, 200, "minting a development token");
        return r.body().get("token").asText();
    }

    /** Registers the token's subject as an owner, or finds the owner it already is. */
    public UUID registerOrFind(String token) throws IOException, InterruptedException {
        Reply r = send("POST", "/owners", token, null);
        if (r.status() == 409) {
            r = send("GET", "/owners/me", token, null);
            expect(r, 200, "finding the owner");
        } else {
            expect(r, 201, "registering the owner");
        }
        return UUID.fromString(r.body().get("id").asText());
    }

    public Pairing pair(String token, UUID ownerId, String name) throws IOException, InterruptedException {
        return pair(token, ownerId, name, false);
    }

    /** Pairs a device; with {@code macRequired} the gateway accepts only COSE_Mac0 messages from it. */
    public Pairing pair(String token, UUID ownerId, String name, boolean macRequired)
            throws IOException, InterruptedException {
        Reply r = send("POST", "/owners/" + ownerId + "/devices", token, Map.of("name", name, "macRequired", macRequired));
        expect(r, 201, "pairing a device");
        return new Pairing(UUID.fromString(r.body().get("id").asText()), r.body().get("topic").asText(),
                r.body().get("credential").asText(), Base64.getUrlDecoder().decode(r.body().get("macKey").asText()));
    }

    public Reply readings(String token, UUID ownerId, String metric, Instant from, Instant to)
            throws IOException, InterruptedException {
        return send("GET", "/owners/" + ownerId + "/readings?metric=" + enc(metric) + "&from=" + enc(from.toString())
                + "&until=" + enc(to.toString()), token, null);
    }

    public Reply send(String method, String path, String token, Object body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<byte[]> response = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        JsonNode parsed = response.body().length == 0 ? null : json.readTree(response.body());
        return new Reply(response.statusCode(), parsed);
    }

    private static void expect(Reply r, int status, String what) {
        if (r.status() != status) {
            throw new IllegalStateException(what + " answered " + r.status() + ": " + r.body());
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
