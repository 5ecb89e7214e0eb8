package org.vitalvault.vault.devtoken;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.RedirectConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The development login (/dev/oidc): the authorization code flow with PKCE S256 the app uses, and
 * everything a code thief or a forged request would try, refused.
 */
@QuarkusTest
class DevelopmentLoginTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final RestAssuredConfig NO_REDIRECTS = RestAssuredConfig.config()
            .redirect(RedirectConfig.redirectConfig().followRedirects(false));

    @TestHTTPResource("/")
    URI base;

    /** One login attempt's secrets, as the app keeps them in its tab. */
    record Attempt(String verifier, String challenge, String state, String redirectUri) {
        static Attempt fresh(URI base) {
            byte[] raw = new byte[32];
            RANDOM.nextBytes(raw);
            String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
            return new Attempt(verifier, DevelopmentLoginCodes.s256(verifier), UUID.randomUUID().toString(),
                    "http://" + base.getHost() + ":" + base.getPort() + "/app/");
        }
    }

    private RequestSpecification host() {
        // RestAssured sends Host as the URI's host:port, which the redirect URI must name.
        return given().config(NO_REDIRECTS);
    }

    private Map<String, String> authorizeParams(Attempt a) {
        Map<String, String> p = new HashMap<>();
        p.put("response_type", "code");
        p.put("client_id", "vitalvault-app");
        p.put("redirect_uri", a.redirectUri());
        p.put("state", a.state());
        p.put("code_challenge", a.challenge());
        p.put("code_challenge_method", "S256");
        p.put("scope", "openid");
        return p;
    }

    /** Submits the login form as subject/role and returns the code from the redirect. */
    private String signIn(Attempt a, String subject, String role) {
        Map<String, String> form = authorizeParams(a);
        form.remove("response_type");
        form.put("subject", subject);
        form.put("role", role);
        Response r = host().contentType("application/x-www-form-urlencoded").formParams(form)
                .post("/dev/oidc/authorize");
        assertEquals(303, r.statusCode(), r.asString());
        URI location = URI.create(r.header("Location"));
        assertTrue(r.header("Location").startsWith(a.redirectUri() + "?"), r.header("Location"));
        Map<String, String> q = query(location);
        assertEquals(a.state(), q.get("state"), "the state comes back unchanged");
        return q.get("code");
    }

    private Response exchange(String code, String redirectUri, String verifier) {
        return host().contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "authorization_code").formParam("code", code)
                .formParam("redirect_uri", redirectUri).formParam("client_id", "vitalvault-app")
                .formParam("code_verifier", verifier)
                .post("/dev/oidc/token");
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> q = new HashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            q.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        return q;
    }

    @Test
    void theFormIsServedWithTheRequestEscapedIntoIt() {
        Attempt a = Attempt.fresh(base);
        Map<String, String> p = authorizeParams(a);
        p.put("state", "\"><script>alert(1)</script>");
        host().queryParams(p).get("/dev/oidc/authorize").then().statusCode(200)
                .contentType(containsString("text/html"))
                .body(containsString("name=\"subject\""))
                .body(not(containsString("<script>alert(1)</script>")))
                .body(containsString("&quot;&gt;&lt;script&gt;"));
    }

    @Test
    void aCodeAndItsVerifierGiveATokenTheVaultAccepts() {
        Attempt a = Attempt.fresh(base);
        String subject = "login-" + UUID.randomUUID();
        String code = signIn(a, subject, "owner");
        String token = exchange(code, a.redirectUri(), a.verifier()).then().statusCode(200)
                .header("Cache-Control", "no-store")
                .body("token_type", equalTo("Bearer"))
                .extract().path("access_token");
        given().auth().oauth2(token).post("/owners").then().statusCode(201);
        given().auth().oauth2(token).get("/owners/me").then().statusCode(200);
    }

    @Test
    void caregiverAndClinicianRolesCanBeChosen() {
        for (String role : new String[] {"caregiver", "clinician"}) {
            Attempt a = Attempt.fresh(base);
            String code = signIn(a, role + "-" + UUID.randomUUID(), role);
            String token = exchange(code, a.redirectUri(), a.verifier()).then().statusCode(200).extract().path("access_token");
            String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
            assertTrue(payload.contains("\"groups\":[\"" + role + "\"]"), payload);
        }
    }

    @Test
    void aCodeWithAnotherVerifierIsRefusedAndSpent() {
        Attempt a = Attempt.fresh(base);
        String code = signIn(a, "thief-" + UUID.randomUUID(), "owner");
        // A code intercepted on its way back (the redirect) is useless without this tab's verifier.
        exchange(code, a.redirectUri(), Attempt.fresh(base).verifier()).then().statusCode(400)
                .contentType(containsString("application/problem+json"))
                .body("type", endsWith("/invalid-grant"))
                .body("errors.field", hasItem("code_verifier"));
        // ...and the failed attempt spent it: the right verifier afterwards gets nothing either.
        exchange(code, a.redirectUri(), a.verifier()).then().statusCode(400).body("errors.field", hasItem("code"));
    }

    @Test
    void aReplayedCodeIsRefused() {
        Attempt a = Attempt.fresh(base);
        String code = signIn(a, "replay-" + UUID.randomUUID(), "owner");
        exchange(code, a.redirectUri(), a.verifier()).then().statusCode(200);
        exchange(code, a.redirectUri(), a.verifier()).then().statusCode(400)
                .body("type", endsWith("/invalid-grant")).body("errors.field", hasItem("code"));
    }

    @Test
    void aCodeExchangedWithAnotherRedirectUriIsRefused() {
        Attempt a = Attempt.fresh(base);
        String code = signIn(a, "redirect-" + UUID.randomUUID(), "owner");
        exchange(code, a.redirectUri() + "other/", a.verifier()).then().statusCode(400)
                .body("errors.field", hasItem("redirect_uri"));
    }

    @Test
    void aRedirectUriOutsideTheVaultsOwnAppIsRefusedWithoutRedirecting() {
        for (String evil : new String[] {"https://evil.example/app/", "http://" + base.getHost() + ":" + base.getPort() + "/owners/",
                "http://" + base.getHost() + ":" + base.getPort() + "/app/../owners/", "javascript:alert(1)",
                "http://user@" + base.getHost() + ":" + base.getPort() + "/app/"}) {
            Attempt a = Attempt.fresh(base);
            Map<String, String> p = authorizeParams(new Attempt(a.verifier(), a.challenge(), a.state(), evil));
            host().queryParams(p).get("/dev/oidc/authorize").then().statusCode(400)
                    .body("errors.field", hasItem("redirect_uri"));
            Map<String, String> form = new HashMap<>(p);
            form.remove("response_type");
            form.put("subject", "someone");
            form.put("role", "owner");
            host().contentType("application/x-www-form-urlencoded").formParams(form).post("/dev/oidc/authorize")
                    .then().statusCode(400).header("Location", (String) null);
        }
    }

    @Test
    void aPlainChallengeOrAnotherClientIsRefused() {
        Attempt a = Attempt.fresh(base);
        Map<String, String> plain = authorizeParams(a);
        plain.put("code_challenge_method", "plain");
        host().queryParams(plain).get("/dev/oidc/authorize").then().statusCode(400)
                .body("errors.field", hasItem("code_challenge_method"));
        Map<String, String> other = authorizeParams(a);
        other.put("client_id", "other-app");
        host().queryParams(other).get("/dev/oidc/authorize").then().statusCode(400)
                .body("errors.field", hasItem("client_id"));
        Map<String, String> noState = authorizeParams(a);
        noState.remove("state");
        host().queryParams(noState).get("/dev/oidc/authorize").then().statusCode(400)
                .body("errors.field", hasItem("state"));
    }

    @Test
    void aRoleOutsideTheListIsRefused() {
        Attempt a = Attempt.fresh(base);
        Map<String, String> form = authorizeParams(a);
        form.remove("response_type");
        form.put("subject", "x");
        form.put("role", "superuser");
        host().contentType("application/x-www-form-urlencoded").formParams(form).post("/dev/oidc/authorize")
                .then().statusCode(400).body("errors.field", hasItem("role"));
    }
}
