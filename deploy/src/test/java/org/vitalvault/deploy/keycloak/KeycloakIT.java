package org.vitalvault.deploy.keycloak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.vitalvault.deploy.TestFolders;
import org.vitalvault.deploy.app.AppBrowser;
import org.vitalvault.deploy.db.LocalPostgres;
import org.vitalvault.deploy.stack.ServiceProcess;

/**
 * The vault's production build against a real Keycloak 26 (decision 035): one Keycloak, one
 * PostgreSQL and one vault for all tests here. Tokens come from Keycloak's token endpoint (password
 * grant of the realm's users); the vault learns Keycloak's keys by discovery alone, takes roles
 * from {@code realm_access/roles} and requires the audience {@code vitalvault}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KeycloakIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    /** This machine may be loaded: starting Keycloak (its first start builds it) can take minutes. */
    private static final Duration STARTUP = Duration.ofMinutes(10);

    private static Path data;
    private static LocalKeycloak keycloak;
    private static LocalPostgres postgres;
    private static ServiceProcess vault;
    private static String vaultUrl;

    @BeforeAll
    static void start() throws Exception {
        Path repo = Path.of(System.getProperty("vitalvault.repo", "..")).toAbsolutePath().normalize();
        Path home = Path.of(System.getProperty("vitalvault.keycloak.home",
                repo.resolve("deploy/target/keycloak/keycloak-" + LocalKeycloak.VERSION).toString()));
        data = TestFolders.create("keycloak-it");
        keycloak = LocalKeycloak.start(home, freePort(), true, data.resolve("logs/keycloak.log"), STARTUP);
        postgres = LocalPostgres.start(data.resolve("postgres"), freePort());
        int port = freePort();
        vaultUrl = "http://127.0.0.1:" + port;
        Map<String, String> p = new LinkedHashMap<>();
        p.put("quarkus.http.port", String.valueOf(port));
        p.put("quarkus.http.host", "127.0.0.1");
        p.put("quarkus.datasource.jdbc.url", postgres.jdbcUrl());
        p.put("quarkus.datasource.username", postgres.user());
        int managementPort = freePort();
        p.put("quarkus.management.port", String.valueOf(managementPort));
        p.put("quarkus.management.host", "127.0.0.1");
        // Secrets go to the service in its environment, never on its command line (decision 036).
        Map<String, String> secret = Map.of("quarkus.datasource.password", postgres.password());
        p.put("vitalvault.kek.file", data.resolve("master.key").toString());
        p.put("vitalvault.kek.create-if-missing", "true");
        p.put("vitalvault.signing-key.file", data.resolve("signing.key").toString());
        p.put("vitalvault.signing-key.create-if-missing", "true");
        p.put("vitalvault.compaction.enabled", "false");
        p.putAll(keycloak.vaultProperties());
        // The production build: no development token mint, only the provider's tokens.
        vault = ServiceProcess.start("vault-service", repo.resolve("vault-service/target/quarkus-app/quarkus-run.jar"),
                p, secret, data.resolve("logs/vault-service.log"));
        vault.awaitReady("http://127.0.0.1:" + managementPort + "/q/health/ready", STARTUP);
    }

    @AfterAll
    static void stop() {
        if (vault != null) {
            vault.close();
        }
        if (postgres != null) {
            postgres.close();
        }
        if (keycloak != null) {
            keycloak.close();
        }
        TestFolders.delete(data);
    }

    @Test
    @Order(1)
    void anOwnerOfTheRealmRegistersAndReadsTheirOwnRecord() throws Exception {
        String token = password(LocalKeycloak.CLIENT, "owner");
        assertTrue(claims(token).get("aud").toString().contains("vitalvault"), "the audience mapper adds vitalvault");
        assertEquals(201, call("POST", "/owners", token));
        assertEquals(200, call("GET", "/owners/me", token));
    }

    @Test
    @Order(2)
    void realmRolesAreTheVaultsRoles() throws Exception {
        String operator = password(LocalKeycloak.CLIENT, "operator");
        String owner = password(LocalKeycloak.CLIENT, "owner");
        String researcher = password(LocalKeycloak.CLIENT, "researcher");
        String approve = "/operator/researchers/" + UUID.randomUUID() + "/approve";
        // The operator passes the role check and learns the organisation does not exist; an owner may not ask.
        assertEquals(404, call("POST", approve, operator));
        assertEquals(403, call("POST", approve, owner));
        assertEquals(403, call("POST", "/owners", researcher));
    }

    @Test
    @Order(3)
    void aCaregiverIsAuthenticatedButHoldsNoVaultRoleYet() throws Exception {
        String caregiver = password(LocalKeycloak.CLIENT, "caregiver");
        assertEquals(403, call("POST", "/owners", caregiver));
        assertEquals(403, call("POST", "/operator/researchers/" + UUID.randomUUID() + "/approve", caregiver));
    }

    @Test
    @Order(4)
    void aTokenKeycloakIssuedForAnotherClientIsRefused() throws Exception {
        String forOtherApp = password(LocalKeycloak.OTHER_CLIENT, "owner");
        JsonNode claims = claims(forOtherApp);
        assertEquals(keycloak.issuer(), claims.get("iss").asText(), "same issuer, same signing key");
        assertFalse(String.valueOf(claims.get("aud")).contains("\"vitalvault\""));
        assertEquals(401, call("GET", "/owners/me", forOtherApp));
    }

    @Test
    @Order(5)
    void anotherClientsRolesAreNotTheVaultsRoles() throws Exception {
        // The researcher holds other-app's client role "owner": it is in the token, and means nothing here.
        String researcher = password(LocalKeycloak.CLIENT, "researcher");
        JsonNode otherAppRoles = claims(researcher).path("resource_access").path(LocalKeycloak.OTHER_CLIENT).path("roles");
        assertTrue(otherAppRoles.toString().contains("\"owner\""), "the token carries other-app's role: " + otherAppRoles);
        assertEquals(403, call("POST", "/owners", researcher));
    }

    @Test
    @Order(6)
    void keycloaksClaimsSignedByAnotherKeyOrUnsignedAreRefused() throws Exception {
        String token = password(LocalKeycloak.CLIENT, "owner");
        String[] parts = token.split("\\.");
        // Same header (Keycloak's kid), same claims, a key Keycloak never had.
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initSign(rsa.generateKeyPair().getPrivate());
        rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        String forged = parts[0] + "." + parts[1] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(rs256.sign());
        assertEquals(401, call("GET", "/owners/me", forged));
        String none = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals(401, call("GET", "/owners/me", none + "." + parts[1] + "."));
        assertEquals(200, call("GET", "/owners/me", token), "the genuine token still works");
    }

    @Test
    @Order(7)
    void aRotatedRealmKeyIsFetchedWhenATokenNamesIt() throws Exception {
        String before = password(LocalKeycloak.CLIENT, "owner");
        rotateRealmKey();
        String after = password(LocalKeycloak.CLIENT, "owner");
        assertNotEquals(header(before).get("kid").asText(), header(after).get("kid").asText(), "Keycloak signs with the new key");
        // The vault refetches the JWKS on an unknown kid, at most once a minute (forced-jwk-refresh-interval):
        // poll for that long, plus slack for a loaded machine.
        int status = 0;
        for (int attempt = 0; attempt < 60 && status != 200; attempt++) {
            status = call("GET", "/owners/me", after);
            if (status != 200) {
                Thread.sleep(5000);
                after = password(LocalKeycloak.CLIENT, "owner");
            }
        }
        assertEquals(200, status, "a token signed by the realm's new key is accepted");
    }

    @Test
    @Order(20)
    void theProductionBuildHasNoDevelopmentLoginAndSendsTheAppToKeycloak() throws Exception {
        assertEquals(404, send(HttpRequest.newBuilder(URI.create(vaultUrl + "/dev/oidc/authorize?response_type=code"))
                .GET().build()).statusCode());
        assertEquals(404, send(HttpRequest.newBuilder(URI.create(vaultUrl + "/dev/oidc/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=authorization_code")).build()).statusCode());
        JsonNode discovery = JSON.readTree(send(HttpRequest.newBuilder(URI.create(keycloak.issuer()
                + "/.well-known/openid-configuration")).GET().build()).body());
        HttpResponse<String> config = send(HttpRequest.newBuilder(URI.create(vaultUrl + "/app/config.json")).GET().build());
        assertEquals(200, config.statusCode(), config.body());
        JsonNode c = JSON.readTree(config.body());
        assertEquals(discovery.get("authorization_endpoint").asText(), c.get("authorizationEndpoint").asText());
        assertEquals(discovery.get("token_endpoint").asText(), c.get("tokenEndpoint").asText());
        assertEquals(LocalKeycloak.APP_CLIENT, c.get("clientId").asText());
        assertFalse(c.get("devLogin").asBoolean());
        // The app may fetch tokens from Keycloak and send the browser to its login form, nothing else.
        String origin = "http://127.0.0.1:" + keycloak.port();
        String csp = send(HttpRequest.newBuilder(URI.create(vaultUrl + "/app/")).GET().build())
                .headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(csp.contains("connect-src 'self' " + origin + ";"), csp);
        assertTrue(csp.contains("form-action 'self' " + origin + ";"), csp);
    }

    @Test
    @Order(21)
    void anOwnerSignsInToTheAppAtKeycloakWithPkce() throws Exception {
        allowAppAt(vaultUrl);
        try (AppBrowser browser = AppBrowser.open(vaultUrl)) {
            browser.click("#login");
            browser.type("#username", "owner");
            browser.type("#password", LocalKeycloak.USERS.get("owner"));
            browser.click("#kc-login");
            browser.waitFor("main[data-page='home'][data-ready='true']");
            assertTrue(browser.url().endsWith("/app/#/home"), "code and state are gone from the address: " + browser.url());
            assertEquals(java.util.List.of(), browser.violations(), "CSP violations");
        }
    }

    /** The realm's app client allows the redirect URIs of the local stack's ports; this test's vault has its own. */
    private static void allowAppAt(String origin) throws Exception {
        String admin = token("master", "admin-cli", "admin", "admin");
        String clients = "http://127.0.0.1:" + keycloak.port() + "/admin/realms/" + LocalKeycloak.REALM + "/clients";
        JsonNode found = JSON.readTree(send(HttpRequest.newBuilder(URI.create(clients + "?clientId=" + LocalKeycloak.APP_CLIENT))
                .header("Authorization", "Bearer " + admin).GET().build()).body());
        com.fasterxml.jackson.databind.node.ObjectNode client = (com.fasterxml.jackson.databind.node.ObjectNode) found.get(0);
        client.withArray("redirectUris").add(origin + "/app/*");
        client.withArray("webOrigins").add(origin);
        HttpResponse<String> updated = send(HttpRequest.newBuilder(URI.create(clients + "/" + client.get("id").asText()))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(client))).build());
        assertEquals(204, updated.statusCode(), updated.body());
    }

    /** Adds a new RSA key to the realm with a higher priority, so Keycloak signs with it from now on. */
    private static void rotateRealmKey() throws Exception {
        String admin = token("master", "admin-cli", "admin", "admin");
        JsonNode realm = JSON.readTree(send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + keycloak.port() + "/admin/realms/" + LocalKeycloak.REALM))
                .header("Authorization", "Bearer " + admin).GET().build()).body());
        String component = JSON.writeValueAsString(Map.of("name", "rotated-" + UUID.randomUUID(),
                "providerId", "rsa-generated", "providerType", "org.keycloak.keys.KeyProvider",
                "parentId", realm.get("id").asText(),
                "config", Map.of("priority", new String[] {"500"}, "keySize", new String[] {"2048"},
                        "active", new String[] {"true"}, "enabled", new String[] {"true"})));
        HttpResponse<String> created = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + keycloak.port()
                        + "/admin/realms/" + LocalKeycloak.REALM + "/components"))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(component)).build());
        assertEquals(201, created.statusCode(), created.body());
    }

    private static String password(String client, String user) throws Exception {
        return token(LocalKeycloak.REALM, client, user, LocalKeycloak.USERS.get(user));
    }

    private static String token(String realm, String client, String user, String password) throws Exception {
        String form = Map.of("grant_type", "password", "client_id", client, "username", user, "password", password,
                        "scope", "openid").entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + keycloak.port()
                        + "/realms/" + realm + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
        assertEquals(200, r.statusCode(), "token for " + user + " at " + client + ": " + r.body());
        return JSON.readTree(r.body()).get("access_token").asText();
    }

    private static int call(String method, String path, String token) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(vaultUrl + path)).header("Authorization", "Bearer " + token)
                .method(method, HttpRequest.BodyPublishers.noBody()).build()).statusCode();
    }

    private static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode claims(String jwt) throws IOException {
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }

    private static JsonNode header(String jwt) throws IOException {
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[0]));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
