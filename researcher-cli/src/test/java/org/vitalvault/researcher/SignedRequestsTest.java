package org.vitalvault.researcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.vitalvault.crypto.JwsVerifier;

/** Lease requests and queries are signed as the vault opens them: its typ, its fields, the organisation's key. */
class SignedRequestsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-12-02T05:07:09Z");
    private static final UUID ORG = UUID.fromString("0b6f3f1e-8d7a-4d0e-9a51-0d3c2f7e1a10");
    private final KeyFile key = KeyFile.generate();

    private static SignedRequests.LeaseTerms terms(List<String> regions) {
        return new SignedRequests.LeaseTerms("HRESCH", List.of("heart_rate"), List.of("MEAN", "COUNT"), "DAY",
                new SignedRequests.Window(Instant.parse("2026-11-04T00:00:00Z"), NOW),
                new SignedRequests.Window(NOW, Instant.parse("2027-01-01T00:00:00Z")), 1.0, null, List.of(), List.of(), regions);
    }

    @Test
    void aLeaseRequestVerifiesUnderTheOrganisationsKeyAsALeaseRequestOnly() throws Exception {
        String jws = SignedRequests.sign(key, SignedRequests.LEASE_REQUEST_TYP, SignedRequests.leaseRequest(ORG, NOW, terms(List.of())));
        byte[] x = Base64.getUrlDecoder().decode(key.publicJwk().get("x"));
        JsonNode p = JSON.readTree(JwsVerifier.verify(jws, x, "vitalvault.lease-request"));
        assertEquals(ORG.toString(), p.get("organisation").asText());
        assertEquals("2026-12-02T05:07:09Z", p.get("issuedAt").asText());
        assertEquals("2026-11-04T00:00:00Z", p.get("dataWindow").get("from").asText());
        assertEquals(1.0, p.get("epsilon").asDouble());
        assertThrows(JwsVerifier.InvalidJwsException.class, () -> JwsVerifier.verify(jws, x, "vitalvault.lease-query"));
        assertThrows(JwsVerifier.InvalidJwsException.class,
                () -> JwsVerifier.verify(jws, Base64.getUrlDecoder().decode(KeyFile.generate().publicJwk().get("x"))));
    }

    @Test
    void aLeaseRequestHoldsOnlyFieldsTheVaultReadsAndLeavesOutEmptyFilters() {
        Set<String> vaultFields = Set.of("requestId", "organisation", "issuedAt", "purpose", "metrics", "kinds", "granularity",
                "dataWindow", "validity", "epsilon", "coop", "ageBands", "sexes", "regions");
        var plain = SignedRequests.leaseRequest(ORG, NOW, terms(List.of()));
        assertEquals(true, vaultFields.containsAll(plain.keySet()));
        assertFalse(plain.containsKey("regions"));
        assertFalse(plain.containsKey("coop"));
        assertEquals(List.of("DE", "FR"), SignedRequests.leaseRequest(ORG, NOW, terms(List.of("DE", "FR"))).get("regions"));
    }

    @Test
    void everyRequestAndQueryHasAFreshRandomId() {
        assertNotEquals(SignedRequests.leaseRequest(ORG, NOW, terms(List.of())).get("requestId"),
                SignedRequests.leaseRequest(ORG, NOW, terms(List.of())).get("requestId"));
        SignedRequests.Query q = query(null);
        assertNotEquals(SignedRequests.query(NOW, q).get("queryId"), SignedRequests.query(NOW, q).get("queryId"));
    }

    @Test
    void aQueryVerifiesAsAQueryAndHoldsExactlyTheVaultsFields() throws Exception {
        var payload = SignedRequests.query(NOW, query(List.of(0.5, 0.9)));
        assertEquals(new TreeSet<>(List.of("queryId", "leaseId", "issuedAt", "metric", "kinds", "quantiles", "granularity",
                "dataWindow", "epsilon")), new TreeSet<>(payload.keySet()));
        String jws = SignedRequests.sign(key, SignedRequests.QUERY_TYP, payload);
        JsonNode p = JSON.readTree(JwsVerifier.verify(jws, Base64.getUrlDecoder().decode(key.publicJwk().get("x")),
                "vitalvault.lease-query"));
        assertEquals(0.9, p.get("quantiles").get(1).asDouble());
        assertFalse(SignedRequests.query(NOW, query(new ArrayList<>())).containsKey("quantiles"));
    }

    @Test
    void aKeyRotationNamesTheNewPublicKeyOnlyAndVerifiesUnderTheCurrentKeyAsARotation() throws Exception {
        KeyFile next = KeyFile.generate();
        var payload = SignedRequests.keyRotation(ORG, NOW, next);
        assertEquals(new TreeSet<>(List.of("organisation", "issuedAt", "publicKey")), new TreeSet<>(payload.keySet()));
        String jws = SignedRequests.sign(key, SignedRequests.KEY_ROTATION_TYP, payload);
        byte[] x = Base64.getUrlDecoder().decode(key.publicJwk().get("x"));
        JsonNode p = JSON.readTree(JwsVerifier.verify(jws, x, "vitalvault.key-rotation"));
        assertEquals(ORG.toString(), p.get("organisation").asText());
        assertEquals("2026-12-02T05:07:09Z", p.get("issuedAt").asText());
        assertEquals(JSON.valueToTree(next.publicJwk()), p.get("publicKey"));
        assertFalse(p.get("publicKey").has("d"));
        assertThrows(JwsVerifier.InvalidJwsException.class, () -> JwsVerifier.verify(jws, x, "vitalvault.lease-request"));
    }

    private static SignedRequests.Query query(List<Double> quantiles) {
        return new SignedRequests.Query(UUID.randomUUID(), "heart_rate", List.of("MEAN", "QUANTILES"), quantiles, "DAY",
                new SignedRequests.Window(Instant.parse("2026-11-25T00:00:00Z"), Instant.parse("2026-12-02T00:00:00Z")), 0.5);
    }
}
