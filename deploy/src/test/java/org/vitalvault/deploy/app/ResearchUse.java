package org.vitalvault.deploy.app;

import org.vitalvault.deploy.StandingTerms;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.vitalvault.deploy.stack.VaultClient;
import org.vitalvault.researcher.KeyFile;
import org.vitalvault.researcher.SignedRequests;

/**
 * A research organisation's use of owners' data, through the vault's REST API as a researcher
 * would do it (the same steps as ScaleOutIT's researcher and researcher-cli): register with a
 * signing key, be approved by an operator, have a cohort of owners consent, lease, query. What the
 * owner's pages then show ("who used my data") is the vault's record of that query.
 */
final class ResearchUse {

    /** The smallest cohort a lease may have (k = 11) and one more, so the lease is granted. */
    static final int COHORT = 12;
    static final String METRIC = "heart_rate";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final String name;
    final UUID org;
    private final KeyFile key;
    private final String token;
    private final VaultClient vault;
    private final String baseUrl;

    private ResearchUse(String name, UUID org, KeyFile key, String token, VaultClient vault, String baseUrl) {
        this.name = name;
        this.org = org;
        this.key = key;
        this.token = token;
        this.vault = vault;
        this.baseUrl = baseUrl;
    }

    /** An organisation registered and approved. */
    static ResearchUse approvedOrganisation(String baseUrl, String name) throws Exception {
        VaultClient vault = new VaultClient(baseUrl);
        KeyFile key = KeyFile.generate();
        String token = vault.devToken("app-researcher-" + UUID.randomUUID(), "researcher");
        VaultClient.Reply r = vault.send("POST", "/researchers", token, Map.of("name", name, "publicKey", key.publicJwk()));
        assertEquals(201, r.status(), () -> String.valueOf(r.body()));
        UUID org = UUID.fromString(r.body().get("id").asText());
        VaultClient.Reply approved = vault.send("POST", "/operator/researchers/" + org + "/approve",
                vault.devToken("app-operator", "operator"), null);
        assertEquals(200, approved.status(), () -> String.valueOf(approved.body()));
        return new ResearchUse(name, org, key, token, vault, baseUrl);
    }

    /** Owners (new dev-token subjects) who each grant this organisation the use of their heart rate. */
    List<UUID> consentingOwners(int count) throws Exception {
        List<UUID> owners = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String token = vault.devToken("app-cohort-" + UUID.randomUUID(), "owner");
            UUID owner = vault.registerOrFind(token);
            grant(token, owner);
            owners.add(owner);
        }
        return owners;
    }

    /** The owner (signed in with {@code token}) grants this organisation heart rate, hourly, COUNT and MEAN. */
    void grant(String token, UUID owner) throws Exception {
        Map<String, Object> terms = StandingTerms.of(METRIC);
        VaultClient.Reply granted = vault.send("POST", "/owners/" + owner + "/grants", token,
                Map.of("audience", Map.of("researcher", org.toString()), "terms", terms));
        assertEquals(201, granted.status(), () -> String.valueOf(granted.body()));
    }

    /** Leases the consenting cohort's heart rate and asks one COUNT query of ε {@code epsilon} over today. */
    void leaseAndQuery(double epsilon) throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant today = now.truncatedTo(ChronoUnit.DAYS);
        String request = SignedRequests.sign(key, SignedRequests.LEASE_REQUEST_TYP, SignedRequests.leaseRequest(org, now,
                new SignedRequests.LeaseTerms("HRESCH", List.of(METRIC), List.of("COUNT", "MEAN"), "HOUR",
                        new SignedRequests.Window(today.minus(Duration.ofDays(1)), today.plus(Duration.ofDays(2))),
                        new SignedRequests.Window(now.minus(Duration.ofMinutes(1)), now.plus(Duration.ofDays(1))),
                        1.0, null, List.of(), List.of(), List.of())));
        HttpResponse<String> leased = post("/leases", request);
        assertEquals(201, leased.statusCode(), leased::body);
        UUID lease = UUID.fromString(JSON.readTree(leased.body()).get("lease").get("leaseId").asText());
        String query = SignedRequests.sign(key, SignedRequests.QUERY_TYP, SignedRequests.query(Instant.now(),
                new SignedRequests.Query(lease, METRIC, List.of("COUNT"), null, "HOUR",
                        new SignedRequests.Window(today, today.plus(Duration.ofHours(2))), epsilon)));
        HttpResponse<String> answer = post("/leases/" + lease + "/queries", query);
        assertEquals(200, answer.statusCode(), answer::body);
    }

    private HttpResponse<String> post(String path, String jws) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/researchers/" + org + path))
                        .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/jose")
                        .POST(HttpRequest.BodyPublishers.ofString(jws, StandardCharsets.US_ASCII)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
