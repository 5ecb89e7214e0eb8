package org.vitalvault.vault.devtoken;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.config.RedirectConfig;
import io.restassured.config.RestAssuredConfig;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A code not exchanged within its lifetime is refused (here the lifetime is zero: late at once, no waiting). */
@QuarkusTest
@TestProfile(DevelopmentLoginCodeExpiryTest.CodesExpireAtOnce.class)
class DevelopmentLoginCodeExpiryTest {

    public static class CodesExpireAtOnce implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("vitalvault.dev-tokens.login-code-lifetime", "PT0S");
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Test
    void anExpiredCodeIsRefused() {
        DevelopmentLoginTest.Attempt a = DevelopmentLoginTest.Attempt.fresh(base);
        String location = given().config(RestAssuredConfig.config().redirect(RedirectConfig.redirectConfig().followRedirects(false)))
                .contentType("application/x-www-form-urlencoded")
                .formParams(Map.of("client_id", "vitalvault-app", "redirect_uri", a.redirectUri(), "state", a.state(),
                        "code_challenge", a.challenge(), "code_challenge_method", "S256", "subject", "late", "role", "owner"))
                .post("/dev/oidc/authorize").then().statusCode(303).extract().header("Location");
        String code = location.replaceAll(".*[?&]code=([^&]+).*", "$1");
        assertEquals(43, code.length());
        given().contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "authorization_code").formParam("code", code)
                .formParam("redirect_uri", a.redirectUri()).formParam("client_id", "vitalvault-app")
                .formParam("code_verifier", a.verifier())
                .post("/dev/oidc/token").then().statusCode(400)
                .body("type", endsWith("/invalid-grant")).body("errors.field", hasItem("code"));
    }
}
