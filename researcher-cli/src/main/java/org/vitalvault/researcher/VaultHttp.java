package org.vitalvault.researcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The vault's REST API as the commands use it: JSON in, JSON out, a bearer token when given. Every
 * answer outside 2xx becomes a {@link VaultRefusal} carrying the RFC 9457 problem body.
 */
public final class VaultHttp {

    /** The JOSE compact serialization's media type (RFC 7515 §9.2.1): how signed requests are posted. */
    public static final String APPLICATION_JOSE = "application/jose";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    /**
     * @param baseUrl the vault, e.g. {@code http://localhost:8080}
     * @param token   a bearer token, or null for calls that need none
     */
    public VaultHttp(String baseUrl, String token) {
        String b = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.base = URI.create(b);
        if (base.getScheme() == null || !(base.getScheme().equals("http") || base.getScheme().equals("https"))) {
            throw new IllegalArgumentException("--vault must be an http(s) URL, was " + baseUrl);
        }
        this.token = token == null || token.isBlank() ? null : token.strip();
    }

    /** An answer: status and the body exactly as received. */
    public record Answer(int status, byte[] body) {
        public JsonNode json() throws IOException {
            return JSON.readTree(body);
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    public Answer get(String path) throws IOException, InterruptedException {
        return send(request(path).GET());
    }

    public Answer postJson(String path, Object body) throws IOException, InterruptedException {
        byte[] bytes = body == null ? new byte[0] : JSON.writeValueAsBytes(body);
        HttpRequest.Builder b = request(path).POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return send(b);
    }

    public Answer postJose(String path, String jws) throws IOException, InterruptedException {
        return send(request(path).header("Content-Type", APPLICATION_JOSE)
                .POST(HttpRequest.BodyPublishers.ofString(jws, StandardCharsets.US_ASCII)));
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Accept", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private Answer send(HttpRequest.Builder b) throws IOException, InterruptedException {
        HttpRequest request = b.build();
        HttpResponse<byte[]> r;
        try {
            r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (java.net.ConnectException e) {
            throw new java.net.ConnectException("cannot reach the vault at " + base
                    + " (is it running? --vault or VITALVAULT_VAULT names another)");
        }
        Answer a = new Answer(r.statusCode(), r.body());
        if (r.statusCode() / 100 != 2) {
            throw VaultRefusal.of(request.method() + " " + request.uri().getPath(), a);
        }
        return a;
    }
}
