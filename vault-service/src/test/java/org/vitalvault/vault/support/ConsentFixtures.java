package org.vitalvault.vault.support;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Owners, grant and co-op bodies for consent tests, through the public API as a client would. */
public final class ConsentFixtures {

    private ConsentFixtures() {
    }

    /** A registered owner: their token's subject, the token, their id. */
    public record TestOwner(String subject, String token, UUID id) {
    }

    public static TestOwner newOwner() {
        String subject = "owner-" + UUID.randomUUID();
        String token = Tokens.tokenFor(subject, "owner");
        return new TestOwner(subject, token, Tokens.register(token));
    }

    /**
     * Terms a researcher's daily-mean request over the last 30 days fits: heart rate, MEAN and COUNT,
     * days or coarser, data of the last and next year, valid from a minute ago for 180 days, k 11,
     * ε 1 per lease and 4 per year. A mutable map: tests change one field.
     */
    public static Map<String, Object> terms() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("purposes", List.of("HRESCH"));
        t.put("metrics", List.of("heart_rate"));
        t.put("kinds", List.of("MEAN", "COUNT"));
        t.put("granularity", "DAY");
        t.put("dataWindow", window(now.minus(Duration.ofDays(365)), now.plus(Duration.ofDays(365))));
        t.put("validity", window(now.minus(Duration.ofMinutes(1)), now.plus(Duration.ofDays(180))));
        t.put("minimumCohort", 11);
        t.put("epsilonPerLease", 1.0);
        t.put("epsilonPerYear", 4.0);
        t.put("priceTier", "STANDARD");
        return t;
    }

    public static Map<String, Object> window(Instant from, Instant until) {
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("from", from.toString());
        w.put("until", until.toString());
        return w;
    }

    /** A grant body: to one researcher organisation, on {@code terms}. */
    public static Map<String, Object> grantTo(UUID researcher, Map<String, Object> terms) {
        return Map.of("audience", Map.of("researcher", researcher.toString()), "terms", terms);
    }

    public static ValidatableResponse postGrant(TestOwner owner, Object body) {
        return given().auth().oauth2(owner.token()).contentType(ContentType.JSON).body(body)
                .post("/owners/" + owner.id() + "/grants").then();
    }

    /**
     * A grant body: to any researcher for {@link Decisions#SHARED_PURPOSE}, on {@code terms} with that
     * purpose added (see {@link Decisions#request(UUID, org.vitalvault.policy.consent.Purpose,
     * org.vitalvault.policy.consent.Granularity, org.vitalvault.policy.lease.CohortFilter)}).
     */
    public static Map<String, Object> grantToPurpose(Map<String, Object> terms) {
        Map<String, Object> t = new LinkedHashMap<>(terms);
        t.put("purposes", List.of("HRESCH", Decisions.SHARED_PURPOSE));
        return Map.of("audience", Map.of("purpose", Decisions.SHARED_PURPOSE), "terms", t);
    }

    /** Creates the grant and returns its id. */
    public static UUID grant(TestOwner owner, Object body) {
        return UUID.fromString(postGrant(owner, body).statusCode(201).extract().path("grant.id"));
    }

    public static ValidatableResponse revoke(TestOwner owner, UUID grant) {
        return given().auth().oauth2(owner.token()).delete("/owners/" + owner.id() + "/grants/" + grant).then();
    }

    /** Founds a co-op on {@code terms} and returns its id. */
    public static UUID coop(TestOwner founder, Map<String, Object> terms) {
        return UUID.fromString(given().auth().oauth2(founder.token()).contentType(ContentType.JSON)
                .body(Map.of("name", "Heart rate research co-op", "terms", terms))
                .post("/coops").then().statusCode(201).extract().path("id"));
    }

    /** Joins a co-op with {@code body} ({@code Map.of()} to take its terms as they are). */
    public static ValidatableResponse join(TestOwner owner, UUID coop, Object body) {
        return given().auth().oauth2(owner.token()).contentType(ContentType.JSON).body(body)
                .put("/owners/" + owner.id() + "/memberships/" + coop).then();
    }

    public static ValidatableResponse leave(TestOwner owner, UUID coop) {
        return given().auth().oauth2(owner.token()).delete("/owners/" + owner.id() + "/memberships/" + coop).then();
    }

    /** The vault's raw Ed25519 public key, from its published JWK Set. */
    public static byte[] vaultPublicKey() {
        return java.util.Base64.getUrlDecoder().decode(given().get("/vault/keys").then().statusCode(200)
                .extract().<String>path("keys[0].x"));
    }
}
