package org.vitalvault.vault.app;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.RedirectConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.ValidatableResponse;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The app's shell as the vault serves it: where it is, what it is told, and under which policy. */
@QuarkusTest
class AppShellTest {

    static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private static ValidatableResponse hardened(ValidatableResponse r) {
        return r.header("Content-Security-Policy", POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer");
    }

    @Test
    void theRootRedirectsToTheApp() {
        given().config(RestAssuredConfig.config().redirect(RedirectConfig.redirectConfig().followRedirects(false)))
                .get("/").then().statusCode(302).header("Location", "/app/");
    }

    @Test
    void theAppPageScriptsAndStylesComeWithTheStrictPolicy() {
        hardened(given().get("/app/").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("<script type=\"module\" src=\"/app/js/main.js\">"))
                // No inline script or style: the policy would refuse them.
                .body(not(containsString("<script>"))).body(not(containsString("style="))));
        hardened(given().get("/app/js/main.js").then().statusCode(200));
        hardened(given().get("/app/css/app.css").then().statusCode(200));
        hardened(given().get("/app/config.json").then().statusCode(200));
    }

    @Test
    void theDevelopmentLoginComesWithTheStrictPolicyToo() {
        hardened(given().get("/dev/oidc/authorize").then().statusCode(400));
    }

    @Test
    void everyPageModuleOfTheRouteTableIsServed() {
        for (String page : new String[] {"home", "chart", "devices", "consent", "uses", "account", "notifications", "care",
                "caregiver", "emergency", "clinician", "audit"}) {
            given().get("/app/js/pages/" + page + ".js").then().statusCode(200)
                    .body(containsString("export async function render(root, ctx)"));
        }
    }

    @Test
    void uPlotIsServedFromItsWebJar() {
        given().get("/webjars/uplot/1.6.30/dist/uPlot.iife.min.js").then().statusCode(200);
        given().get("/webjars/uplot/1.6.30/dist/uPlot.min.css").then().statusCode(200);
    }

    @Test
    void theConfigurationNamesTheDevelopmentLoginInABuildThatHasIt() {
        given().get("/app/config.json").then().statusCode(200)
                .header("Cache-Control", "no-store")
                .body("authorizationEndpoint", equalTo("/dev/oidc/authorize"))
                .body("tokenEndpoint", equalTo("/dev/oidc/token"))
                .body("clientId", equalTo("vitalvault-app"))
                .body("scope", equalTo("openid"))
                .body("devLogin", equalTo(true));
    }

    @Test
    void aProvidersOriginsAreAllowedForTheTokenFetchAndTheLoginFormOnly() {
        String csp = AppSecurityHeaders.policy(Optional.of(new AppLogin.Endpoints(
                "https://id.example:8443/realms/v/protocol/openid-connect/auth",
                "https://id.example:8443/realms/v/protocol/openid-connect/token", false)));
        org.junit.jupiter.api.Assertions.assertEquals("default-src 'none'; script-src 'self'; style-src 'self';"
                + " img-src 'self' data:; connect-src 'self' https://id.example:8443; form-action 'self'"
                + " https://id.example:8443; frame-ancestors 'none'; base-uri 'none'", csp);
    }
}
