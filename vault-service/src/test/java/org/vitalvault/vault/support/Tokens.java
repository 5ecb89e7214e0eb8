package org.vitalvault.vault.support;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.smallrye.jwt.build.Jwt;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * Test helpers that go through the public API, as a client would; and every kind of bearer token
 * the vault must refuse, made here only, next to the good ones, so a change to what a token
 * carries (issuer, audience) is made once.
 */
public final class Tokens {

    private Tokens() {
    }

    /** A development token for a fresh subject in the owner role. */
    public static String newOwnerToken() {
        return tokenFor("owner-" + UUID.randomUUID(), "owner");
    }

    public static String tokenFor(String subject, String role) {
        return given().contentType(ContentType.JSON)
                .body("{\"subject\":\"" + subject + "\",\"role\":\"" + role + "\"}")
                .post("/dev/tokens").then().statusCode(200).extract().path("token");
    }

    /** Registers the token's subject as an owner and returns the owner id. */
    public static UUID register(String token) {
        return UUID.fromString(given().auth().oauth2(token).post("/owners")
                .then().statusCode(201).extract().path("id"));
    }

    /** Not a JWT at all. */
    public static String malformed() {
        return "not.a-jwt";
    }

    /**
     * A valid token of the trusted issuer carrying exactly {@code roles} (none, or one the vault does
     * not know yet such as {@code caregiver}), which the development mint would not make.
     */
    public static String signedWithRoles(String subject, Set<String> roles) {
        return Jwt.issuer(VaultTestResource.ISSUER).audience(VaultTestResource.AUDIENCE).subject(subject).upn(subject).groups(roles)
                .issuedAt(Instant.now()).expiresAt(Instant.now().plusSeconds(3600))
                .sign(VaultTestResource.privateKeyFile().toUri().toString());
    }

    /** The right claims with {@code "alg":"none"} and no signature. */
    public static String unsigned(String subject, String role) {
        java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        long now = Instant.now().getEpochSecond();
        String header = "{\"alg\":\"none\",\"typ\":\"JWT\"}";
        String claims = "{\"iss\":\"" + VaultTestResource.ISSUER + "\",\"aud\":\"" + VaultTestResource.AUDIENCE + "\",\"sub\":\"" + subject + "\",\"upn\":\"" + subject
                + "\",\"groups\":[\"" + role + "\"],\"iat\":" + now + ",\"exp\":" + (now + 3600) + "}";
        return b64.encodeToString(header.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + ".";
    }

    /** Signed by the trusted key and issuer, but it expired an hour ago. */
    public static String expired(String subject, String role) {
        Instant now = Instant.now();
        return Jwt.issuer(VaultTestResource.ISSUER).audience(VaultTestResource.AUDIENCE).subject(subject).upn(subject).groups(Set.of(role))
                .issuedAt(now.minusSeconds(7200)).expiresAt(now.minusSeconds(3600))
                .sign(VaultTestResource.privateKeyFile().toUri().toString());
    }

    /** Right issuer, claims and lifetime, signed by a key the vault does not trust. */
    public static String forgedSignature(String subject, String role) {
        return Jwt.issuer(VaultTestResource.ISSUER).audience(VaultTestResource.AUDIENCE).subject(subject).upn(subject).groups(Set.of(role))
                .issuedAt(Instant.now()).expiresAt(Instant.now().plusSeconds(3600)).sign(strangerKey());
    }

    /** Signed by the trusted key, but issued by another issuer. */
    public static String wrongIssuer(String subject, String role) {
        return Jwt.issuer("https://evil.example/issuer").audience(VaultTestResource.AUDIENCE).subject(subject).upn(subject).groups(Set.of(role))
                .issuedAt(Instant.now()).expiresAt(Instant.now().plusSeconds(3600))
                .sign(VaultTestResource.privateKeyFile().toUri().toString());
    }

    private static PrivateKey strangerKey() {
        try {
            KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
            rsa.initialize(2048);
            return rsa.generateKeyPair().getPrivate();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
