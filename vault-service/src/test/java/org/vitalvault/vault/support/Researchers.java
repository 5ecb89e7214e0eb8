package org.vitalvault.vault.support;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.vitalvault.crypto.JwsSigner;

/**
 * A researcher organisation for tests, through the public API as a client would: it holds its own
 * Ed25519 key pair, registers the public half, gets approved by an operator, and signs lease
 * requests and queries as compact JWS (EdDSA) with the JDK alone.
 */
public final class Researchers {

    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final ObjectMapper JSON = new ObjectMapper();

    private Researchers() {
    }

    /** A registered organisation: its id, bearer token and signing key pair. */
    public record Org(UUID id, String token, KeyPair keys) {

        /** The request body of a lease request signed with this organisation's key. */
        public String sign(String typ, Object payload) {
            return Researchers.sign(keys, typ, payload);
        }

        public ValidatableResponse requestLease(Map<String, Object> payload) {
            return postJws("/researchers/" + id + "/leases", sign("vitalvault.lease-request", payload));
        }

        public ValidatableResponse query(UUID lease, Map<String, Object> payload) {
            return postJws("/researchers/" + id + "/leases/" + lease + "/queries", sign("vitalvault.lease-query", payload));
        }

        public ValidatableResponse postJws(String path, String jws) {
            return given().auth().oauth2(token).contentType("application/jose").body(jws.getBytes(StandardCharsets.US_ASCII)).post(path).then();
        }

        /** Requests a lease on {@code payload} and returns its id (201 expected). */
        public UUID lease(Map<String, Object> payload) {
            return UUID.fromString(requestLease(payload).statusCode(201).extract().path("lease.leaseId"));
        }
    }

    /** Registers a fresh organisation and has an operator approve it. */
    public static Org approvedOrg() {
        Org org = registeredOrg();
        String operator = Tokens.tokenFor("operator-" + UUID.randomUUID(), "operator");
        given().auth().oauth2(operator).post("/operator/researchers/" + org.id() + "/approve").then().statusCode(200);
        return org;
    }

    /** Registers a fresh organisation, not approved. */
    public static Org registeredOrg() {
        KeyPair keys = newKeyPair();
        String token = Tokens.tokenFor("researcher-" + UUID.randomUUID(), "researcher");
        Map<String, Object> jwk = Map.of("kty", "OKP", "crv", "Ed25519", "x", B64URL.encodeToString(rawPublicKey(keys)));
        String id = given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("name", "Univ. Test Cardiology", "publicKey", jwk))
                .post("/researchers").then().statusCode(201).extract().path("id");
        return new Org(UUID.fromString(id), token, keys);
    }

    public static KeyPair newKeyPair() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The raw 32-byte public key: the last 32 bytes of the X.509 encoding. */
    public static byte[] rawPublicKey(KeyPair keys) {
        byte[] spki = keys.getPublic().getEncoded();
        return Arrays.copyOfRange(spki, spki.length - 32, spki.length);
    }

    public static String sign(KeyPair keys, String typ, Object payload) {
        try {
            return JwsSigner.sign(keys.getPrivate(), typ, JSON.writeValueAsBytes(payload));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A lease request fitting {@link ConsentFixtures#terms()}: HRESCH, heart rate, MEAN and COUNT by
     * DAY, data of the last 30 days, a lease of 30 days from now, ε 1. A mutable map.
     */
    public static Map<String, Object> leaseRequest(UUID org) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("requestId", UUID.randomUUID().toString());
        p.put("organisation", org.toString());
        p.put("issuedAt", now.toString());
        p.put("purpose", "HRESCH");
        p.put("metrics", List.of("heart_rate"));
        p.put("kinds", List.of("MEAN", "COUNT"));
        p.put("granularity", "DAY");
        p.put("dataWindow", ConsentFixtures.window(now.minus(Duration.ofDays(30)), now));
        p.put("validity", ConsentFixtures.window(now.minus(Duration.ofMinutes(1)), now.plus(Duration.ofDays(30))));
        p.put("epsilon", 1.0);
        return p;
    }

    /** A daily-mean query of the last {@code days} whole UTC days, at {@code epsilon}. A mutable map. */
    public static Map<String, Object> dailyMeans(UUID lease, int days, double epsilon) {
        Instant today = Instant.now().truncatedTo(ChronoUnit.DAYS);
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("queryId", UUID.randomUUID().toString());
        q.put("leaseId", lease.toString());
        q.put("issuedAt", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        q.put("metric", "heart_rate");
        q.put("kinds", List.of("MEAN"));
        q.put("granularity", "DAY");
        q.put("dataWindow", Map.of("from", today.minus(Duration.ofDays(days)).toString(), "until", today.toString()));
        q.put("epsilon", epsilon);
        return q;
    }
}
