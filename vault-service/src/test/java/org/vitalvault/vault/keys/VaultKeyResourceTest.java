package org.vitalvault.vault.keys;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

@QuarkusTest
class VaultKeyResourceTest {

    @Inject
    VaultSigner signer;

    @Test
    void theJwkSetPublishesTheSigningKeyWithoutAToken() throws Exception {
        JsonPath jwks = given().get("/vault/keys").then().statusCode(200)
                .body("keys", hasSize(1))
                .body("keys[0].kty", equalTo("OKP")).body("keys[0].crv", equalTo("Ed25519"))
                .body("keys[0].use", equalTo("sig")).body("keys[0].alg", equalTo("EdDSA"))
                .extract().jsonPath();
        byte[] x = Base64.getUrlDecoder().decode(jwks.getString("keys[0].x"));
        assertArrayEquals(signer.publicKey(), x);
        String kid = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(x)).substring(0, 16);
        assertEquals(kid, jwks.getString("keys[0].kid"));
        assertNull(jwks.get("keys[0].d"), "never the private key");
    }
}
