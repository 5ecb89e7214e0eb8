package org.vitalvault.vault.owner;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.build.Jwt;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.vitalvault.vault.support.Tokens;
import org.vitalvault.vault.support.VaultTestResource;

@QuarkusTest
@QuarkusTestResource(value = VaultTestResource.class, restrictToAnnotatedClass = false)
class OwnerResourceTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void registeringCreatesTheOwnerAndAWrappedX25519KeyPair() throws Exception {
        String token = Tokens.newOwnerToken();
        UUID id = Tokens.register(token);
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "select public_key, wrapped_private_key, kek_id from owner_key where owner_id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(32, rs.getBytes(1).length);
                // version byte + nonce + 32-byte key + tag: never the raw 32-byte private key
                assertEquals(1 + 12 + 32 + 16, rs.getBytes(2).length);
                assertFalse(rs.getString(3).isBlank());
            }
        }
        given().auth().oauth2(token).get("/owners/me").then().statusCode(200).body("id", equalTo(id.toString()));
    }

    @Test
    void registeringTwiceConflicts() {
        String token = Tokens.newOwnerToken();
        Tokens.register(token);
        given().auth().oauth2(token).post("/owners").then().statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("https://vitalvault.org/problems/already-registered"));
    }

    @Test
    void anotherOwnersIdAnswers404LikeAnUnknownOne() {
        UUID alice = Tokens.register(Tokens.newOwnerToken());
        String bob = Tokens.newOwnerToken();
        Tokens.register(bob);
        String other = given().auth().oauth2(bob).get("/owners/" + alice).then().statusCode(404)
                .contentType("application/problem+json").extract().asString();
        String unknown = given().auth().oauth2(bob).get("/owners/" + UUID.randomUUID()).then().statusCode(404)
                .extract().path("title");
        assertEquals("Not found", unknown);
        assertFalse(other.contains("Exception"));
        given().auth().oauth2(bob).get("/owners/" + alice + "/devices").then().statusCode(404);
        given().auth().oauth2(bob).get("/owners/" + alice + "/readings?metric=heart_rate").then().statusCode(404);
    }

    @Test
    void missingTokenAnswers401WithAProblemBody() {
        given().get("/owners/me").then().statusCode(401)
                .contentType("application/problem+json")
                .body("status", equalTo(401)).body("title", equalTo("Unauthorized"));
    }

    @Test
    void expiredTokenIsRefused() {
        String expired = Jwt.issuer(VaultTestResource.ISSUER).audience(VaultTestResource.AUDIENCE).subject("late").groups(Set.of("owner"))
                .issuedAt(Instant.now().minusSeconds(7200)).expiresAt(Instant.now().minusSeconds(3600))
                .sign(VaultTestResource.privateKeyFile().toUri().toString());
        given().auth().oauth2(expired).get("/owners/me").then().statusCode(401);
    }

    @Test
    void tokenFromAnotherIssuerIsRefused() {
        String foreign = Jwt.issuer("https://evil.example").audience(VaultTestResource.AUDIENCE).subject("mallory").groups(Set.of("owner"))
                .sign(VaultTestResource.privateKeyFile().toUri().toString());
        given().auth().oauth2(foreign).get("/owners/me").then().statusCode(401);
    }

    @Test
    void tamperedTokenIsRefused() {
        String token = Tokens.newOwnerToken();
        String[] parts = token.split("\\.");
        String payload = new String(java.util.Base64.getUrlDecoder().decode(parts[1]));
        String forged = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.replace("owner-", "admin-").getBytes()) + "." + parts[2];
        given().auth().oauth2(forged).get("/owners/me").then().statusCode(401);
    }

    @Test
    void researcherRoleCannotRegisterAsOwner() {
        String researcher = Tokens.tokenFor("lab-" + UUID.randomUUID(), "researcher");
        given().auth().oauth2(researcher).post("/owners").then().statusCode(403)
                .contentType("application/problem+json")
                .body(not(containsString("io.quarkus")));
    }
}
