package org.vitalvault.vault.devtoken;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.quarkus.arc.Arc;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

/**
 * A production build (no {@code vitalvault.dev-tokens.enabled} at build time) has no development
 * login: no form, no token endpoint, no code store — and the app's settings name no login at all
 * rather than a development one (no OIDC provider is configured in this boot).
 */
@QuarkusTest
@TestProfile(DevelopmentTokenMintAbsentTest.ProductionBuild.class)
class DevelopmentLoginAbsentTest {

    @Test
    void thereIsNoDevelopmentLoginToCall() {
        given().queryParam("response_type", "code").get("/dev/oidc/authorize").then().statusCode(404);
        given().contentType("application/x-www-form-urlencoded").formParam("subject", "x").formParam("role", "operator")
                .post("/dev/oidc/authorize").then().statusCode(404);
        given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "authorization_code")
                .post("/dev/oidc/token").then().statusCode(404);
        assertFalse(Arc.container().instance(DevelopmentLoginCodes.class).isAvailable());
    }

    @Test
    void theAppIsToldThereIsNoLoginRatherThanADevelopmentOne() {
        given().get("/app/config.json").then().statusCode(503);
    }
}
