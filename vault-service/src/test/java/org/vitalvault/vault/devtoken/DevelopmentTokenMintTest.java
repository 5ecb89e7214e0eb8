package org.vitalvault.vault.devtoken;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** In a build with the mint (tests, dev mode, the local stack), a minted token says what it is and works. */
@QuarkusTest
class DevelopmentTokenMintTest {

    @Test
    void aMintedTokenSaysItIsADevelopmentTokenAndOpensTheApi() {
        String token = given().contentType(ContentType.JSON).body("{\"subject\":\"mint-" + UUID.randomUUID() + "\",\"role\":\"owner\"}")
                .post("/dev/tokens").then().statusCode(200)
                .body("notice", containsString("Development token"))
                .body("expiresAt", notNullValue())
                .extract().path("token");
        // An owner token of the mint is accepted like an issuer's: registering answers 201.
        given().auth().oauth2(token).post("/owners").then().statusCode(201);
    }
}
