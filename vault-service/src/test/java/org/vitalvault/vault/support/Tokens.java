package org.vitalvault.vault.support;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import java.util.UUID;

/** Test helpers that go through the public API, as a client would. */
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
}
