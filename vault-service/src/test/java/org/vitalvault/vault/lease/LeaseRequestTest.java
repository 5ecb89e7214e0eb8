package org.vitalvault.vault.lease;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.vitalvault.crypto.JwsVerifier;
import org.vitalvault.vault.support.Cohorts;
import org.vitalvault.vault.support.ConsentFixtures;
import org.vitalvault.vault.support.Researchers;
import org.vitalvault.vault.support.Tokens;

/** Researchers register a key, get approved, and lease with signed requests; the vault answers a signed lease document or a coded denial. */
@QuarkusTest
class LeaseRequestTest {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ObjectMapper json;

    @Test
    void aLeaseWithKMinusOneEligibleOwnersIsDeniedAndWithKItIsApproved() throws Exception {
        Researchers.Org org = Researchers.approvedOrg();
        Cohorts.consenting(dataSource, 10, org.id(), ConsentFixtures.terms(), 0);
        org.requestLease(Researchers.leaseRequest(org.id())).statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo("https://vitalvault.org/problems/lease-denied"))
                .body("reasons.code", hasItem("COHORT_BELOW_K"));

        Cohorts.consenting(dataSource, 1, org.id(), ConsentFixtures.terms(), 0);
        String document = org.requestLease(Researchers.leaseRequest(org.id())).statusCode(201)
                .body("lease.cohortSize", equalTo(11))
                .body("lease.terms.minimumCohort", equalTo(11))
                .body("lease.terms.epsilon", equalTo(1.0f))
                .body("lease.price.euroCents", equalTo(11 * 50 * 4 * 2))
                .extract().path("document");
        JsonNode signed = json.readTree(JwsVerifier.verify(document, ConsentFixtures.vaultPublicKey(), "vitalvault.lease"));
        assertEquals(11, signed.get("cohortSize").asInt());
        assertEquals(org.id().toString(), signed.get("organisation").get("id").asText());
    }

    @Test
    void aRegionFilterCountsOnlyOwnersWhoShareARegionInsideIt() throws Exception {
        Researchers.Org org = Researchers.approvedOrg();
        List<Cohorts.Member> sharing = Cohorts.consenting(dataSource, 11, org.id(), ConsentFixtures.terms(), 0);
        for (int i = 0; i < sharing.size(); i++) {
            shareRegion(sharing.get(i), i % 2 == 0 ? "DE-BY" : "DE");
        }
        Cohorts.consenting(dataSource, 3, org.id(), ConsentFixtures.terms(), 0); // share nothing
        shareRegion(Cohorts.consenting(dataSource, 1, org.id(), ConsentFixtures.terms(), 0).get(0), "FR");

        Map<String, Object> germany = Researchers.leaseRequest(org.id());
        germany.put("regions", List.of("DE"));
        org.requestLease(germany).statusCode(201)
                .body("lease.cohortSize", equalTo(11))
                .body("lease.terms.cohort.regions", equalTo(List.of("DE")));

        // One withdraws their region: ten are left, fewer than k.
        given().auth().oauth2(sharing.get(0).owner().token()).contentType(ContentType.JSON).body(Map.of())
                .put("/owners/" + sharing.get(0).id() + "/attributes").then().statusCode(200);
        Map<String, Object> again = Researchers.leaseRequest(org.id());
        again.put("regions", List.of("DE"));
        org.requestLease(again).statusCode(403).body("reasons.code", hasItem("COHORT_BELOW_K"));
    }

    @Test
    void anUnknownAgeBandInALeaseRequestIsA400NamingTheField() {
        Researchers.Org org = Researchers.approvedOrg();
        Map<String, Object> request = Researchers.leaseRequest(org.id());
        request.put("ageBands", List.of("31-40"));
        org.requestLease(request).statusCode(400).body("errors.field", hasItem("ageBands"));
    }

    private static void shareRegion(Cohorts.Member m, String region) {
        given().auth().oauth2(m.owner().token()).contentType(ContentType.JSON).body(Map.of("region", region))
                .put("/owners/" + m.id() + "/attributes").then().statusCode(200);
    }

    @Test
    void aRequestSignedByAnotherKeyIsRefused() throws Exception {
        Researchers.Org org = Researchers.approvedOrg();
        Cohorts.consenting(dataSource, 11, org.id(), ConsentFixtures.terms(), 0);
        String forged = Researchers.sign(Researchers.newKeyPair(), "vitalvault.lease-request", Researchers.leaseRequest(org.id()));
        org.postJws("/researchers/" + org.id() + "/leases", forged).statusCode(403)
                .body("type", equalTo("https://vitalvault.org/problems/signature-invalid"));
    }

    @Test
    void aQuerySignedAsALeaseRequestIsRefused() throws Exception {
        Researchers.Org org = Researchers.approvedOrg();
        String wrongType = org.sign("vitalvault.lease-query", Researchers.leaseRequest(org.id()));
        org.postJws("/researchers/" + org.id() + "/leases", wrongType).statusCode(403)
                .body("type", equalTo("https://vitalvault.org/problems/signature-invalid"));
    }

    @Test
    void anOrganisationNotYetApprovedCannotLease() {
        Researchers.Org org = Researchers.registeredOrg();
        org.requestLease(Researchers.leaseRequest(org.id())).statusCode(403)
                .body("type", equalTo("https://vitalvault.org/problems/researcher-not-approved"));
    }

    @Test
    void aReplayedRequestIdIsRefusedWith409() throws Exception {
        Researchers.Org org = Researchers.approvedOrg();
        Cohorts.consenting(dataSource, 11, org.id(), ConsentFixtures.terms(), 0);
        Map<String, Object> request = Researchers.leaseRequest(org.id());
        org.requestLease(request).statusCode(201);
        org.requestLease(request).statusCode(409).body("type", equalTo("https://vitalvault.org/problems/lease-request-replayed"));
    }

    @Test
    void aGranularityFinerThanTheOwnersAllowIsDeniedWithARequestLevelCodeOnly() throws Exception {
        Researchers.Org org = Researchers.approvedOrg();
        Cohorts.consenting(dataSource, 11, org.id(), ConsentFixtures.terms(), 0);
        Map<String, Object> request = Researchers.leaseRequest(org.id());
        request.put("granularity", "HOUR");
        // Which owners' grants fall short, and why, is theirs to see, not the organisation's (decision 024).
        org.requestLease(request).statusCode(403).body("reasons.code", equalTo(List.of("COHORT_BELOW_K")));
    }

    @Test
    void aStaleRequestIsA400NamingIssuedAt() {
        Researchers.Org org = Researchers.approvedOrg();
        Map<String, Object> request = Researchers.leaseRequest(org.id());
        request.put("issuedAt", "2020-01-01T00:00:00Z");
        org.requestLease(request).statusCode(400).body("errors[0].field", equalTo("issuedAt"));
    }

    @Test
    void anotherOrganisationsTokenCannotUseItsPath() {
        Researchers.Org org = Researchers.approvedOrg();
        Researchers.Org other = Researchers.approvedOrg();
        new Researchers.Org(org.id(), other.token(), other.keys())
                .requestLease(Researchers.leaseRequest(org.id())).statusCode(404);
    }

    @Test
    void anOwnerTokenCannotLease() {
        String owner = Tokens.newOwnerToken();
        given().auth().oauth2(owner).contentType("application/jose").body("x.y.z".getBytes())
                .post("/researchers/" + UUID.randomUUID() + "/leases").then().statusCode(403);
    }

    @Test
    void aRegistrationWithAPrivateJwkIsA400NamingPublicKey() {
        String token = Tokens.tokenFor("researcher-" + UUID.randomUUID(), "researcher");
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("name", "Leaky Lab", "publicKey", Map.of("kty", "OKP", "crv", "Ed25519", "x", "AAAA", "d", "AAAA")))
                .post("/researchers").then().statusCode(400).body("errors[0].field", equalTo("publicKey"));
    }
}
