package org.vitalvault.vault.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import java.util.UUID;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.vitalvault.vault.support.VaultTestResource;

/**
 * What a bearer token must be to open the API (decision 035): signed by the issuer's key, from the
 * configured issuer, for the vault's audience, not expired. Every other token is refused with 401
 * before any resource runs — here on {@code POST /owners}, which a valid owner token answers with 201.
 */
@QuarkusTest
class BearerTokenAttackTest {

    private static final String KEY = VaultTestResource.privateKeyFile().toUri().toString();

    private static JwtClaimsBuilder ownerClaims() {
        return Jwt.issuer(VaultTestResource.ISSUER).subject("attack-" + UUID.randomUUID()).groups(Set.of("owner"))
                .audience(VaultTestResource.AUDIENCE);
    }

    @Test
    void aTokenOfTheIssuerForTheVaultsAudienceIsAccepted() {
        given().auth().oauth2(ownerClaims().sign(KEY)).post("/owners").then().statusCode(201);
    }

    @Test
    void aTokenTheSameIssuerSignedForAnotherAudienceIsRefused() {
        String forAnotherApp = ownerClaims().audience("another-app").sign(KEY);
        given().auth().oauth2(forAnotherApp).post("/owners").then().statusCode(401)
                .contentType("application/problem+json").body("status", equalTo(401));
    }

    @Test
    void aTokenWithoutAnyAudienceIsRefused() {
        String noAudience = Jwt.issuer(VaultTestResource.ISSUER).subject("attack-" + UUID.randomUUID())
                .groups(Set.of("owner")).sign(KEY);
        given().auth().oauth2(noAudience).post("/owners").then().statusCode(401);
    }

    @Test
    void aTokenFromAnotherIssuerIsRefusedEvenWithTheRightKeyAndAudience() {
        String foreign = ownerClaims().issuer("https://evil.example").sign(KEY);
        given().auth().oauth2(foreign).post("/owners").then().statusCode(401);
    }

    @Test
    void anExpiredTokenIsRefused() {
        String expired = ownerClaims().issuedAt(Instant.now().minusSeconds(7200))
                .expiresAt(Instant.now().minusSeconds(3600)).sign(KEY);
        given().auth().oauth2(expired).post("/owners").then().statusCode(401);
    }

    @Test
    void anUnsignedTokenWithAlgNoneIsRefused() {
        String signed = ownerClaims().sign(KEY);
        String payload = signed.split("\\.")[1];
        String header = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        given().auth().oauth2(header + "." + payload + ".").post("/owners").then().statusCode(401);
    }

    @Test
    void aTokenSignedByAnUnknownKeyIsRefused() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        String forged = ownerClaims().jws().keyId("mallory").sign(rsa.generateKeyPair().getPrivate());
        given().auth().oauth2(forged).post("/owners").then().statusCode(401);
    }

    @Test
    void aTokenMacedWithThePublicKeyAsSecretIsRefused() throws Exception {
        // The classic algorithm confusion: HS256 keyed with the (public) verification key's bytes.
        byte[] publicKey = VaultTestResource.publicKeyPem().getBytes(StandardCharsets.US_ASCII);
        String confused = ownerClaims().jws().algorithm(SignatureAlgorithm.HS256)
                .sign(new SecretKeySpec(publicKey, "HmacSHA256"));
        given().auth().oauth2(confused).post("/owners").then().statusCode(401);
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
