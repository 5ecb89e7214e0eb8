package org.vitalvault.vault.care;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.vitalvault.reading.Reading;
import org.vitalvault.vault.support.AuditChains;
import org.vitalvault.vault.support.FailAtCommit;
import org.vitalvault.vault.support.ConsentFixtures;
import org.vitalvault.vault.support.ConsentFixtures.TestOwner;
import org.vitalvault.vault.support.GatewayWrites;
import org.vitalvault.vault.support.Tokens;

/**
 * Caregiving in the owner's chain of the transparency log (issue 17): an invitation, its acceptance,
 * its revocation and every read are each exactly one entry, committed with the event; an event whose
 * transaction fails at commit leaves none. No entry holds the invite code, the caregiver's subject,
 * the owner's label for them, or a health value.
 */
@QuarkusTest
class CaregiverAuditTest {

    private static final Instant BASE = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(6, ChronoUnit.HOURS);
    private static final String LABEL = "Sam (nurse)";
    /** Heart rates written: distinctive enough that finding one in the log means a value leaked. */
    private static final List<Double> VALUES = List.of(61.25, 62.75);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    AuditChains chains;

    @Test
    void invitationAcceptanceReadsAndRevocationEachAppendExactlyOneEntry() throws Exception {
        TestOwner owner = ownerWithReadings();
        String code = invite(owner, body(null)).statusCode(201).extract().path("inviteCode");
        String carerSubject = "carer-" + UUID.randomUUID();
        String carer = Tokens.tokenFor(carerSubject, "caregiver");
        String id = accept(carer, code).statusCode(200).extract().path("id");
        read(carer, id).statusCode(200).body("count", equalTo(2));
        given().auth().oauth2(carer).get("/caregivers/me/delegations/" + id + "/latest").then().statusCode(200);
        revoke(owner, id).statusCode(200);
        revoke(owner, id).statusCode(200);

        List<JsonNode> chain = chains.verified(owner.id());
        assertEquals(List.of("CAREGIVER_INVITED", "CAREGIVER_ACCEPTED", "CAREGIVER_READ", "CAREGIVER_READ",
                "CAREGIVER_REVOKED"), kinds(chain), "revoking a revoked delegation changes nothing and logs nothing");
        JsonNode invited = chain.get(0).get("details");
        assertEquals(id, invited.get("delegationId").asText());
        assertEquals("invite-code", invited.get("invitation").asText());
        assertEquals("heart_rate", invited.get("metrics").get(0).asText());
        assertEquals("raw", invited.get("finestResolution").asText());
        assertTrue(invited.get("dataWindow").isNull());
        assertEquals(Set.of("delegationId", "invitation", "metrics", "finestResolution", "dataWindow", "expiresAt"),
                fields(invited));
        assertEquals(Set.of("delegationId"), fields(chain.get(1).get("details")));
        JsonNode series = chain.get(2).get("details");
        assertEquals(Set.of("delegationId", "metric", "resolution", "dataRange"), fields(series));
        assertEquals("heart_rate", series.get("metric").asText());
        assertEquals("raw", series.get("resolution").asText());
        assertEquals(BASE.toString(), series.get("dataRange").get("from").asText());
        JsonNode latest = chain.get(3).get("details");
        assertTrue(latest.get("metric").isNull());
        assertEquals("latest", latest.get("resolution").asText());
        assertEquals(id, chain.get(4).get("details").get("delegationId").asText());

        chains.assertNoneContains(owner.id(), code, carerSubject, carer, LABEL, "Grandma",
                String.valueOf(VALUES.get(0)), String.valueOf(VALUES.get(1)));
    }

    @Test
    void aDelegationToANamedCaregiverIsOneInvitationEntryThatNamesNobody() {
        TestOwner owner = ConsentFixtures.newOwner();
        String subject = "carer-" + UUID.randomUUID();
        String id = invite(owner, body(subject)).statusCode(201).body("status", equalTo("active")).extract().path("id");
        List<JsonNode> chain = chains.verified(owner.id());
        assertEquals(List.of("CAREGIVER_INVITED"), kinds(chain));
        assertEquals(id, chain.get(0).get("details").get("delegationId").asText());
        assertEquals("named-caregiver", chain.get(0).get("details").get("invitation").asText());
        chains.assertNoneContains(owner.id(), subject, LABEL);
    }

    @Test
    void anInvitationWhoseCommitFailsLeavesNoDelegationAndNoEntry() {
        TestOwner owner = ConsentFixtures.newOwner();
        long mark = chains.mark();
        try (FailAtCommit failing = FailAtCommit.forOwnerEntry(dataSource, owner.id())) {
            invite(owner, body(null)).statusCode(500);
        }
        assertEquals(0, chains.since(mark));
        assertEquals(List.of(), chains.verified(owner.id()));
        given().auth().oauth2(owner.token()).get("/owners/" + owner.id() + "/delegations").then().statusCode(200)
                .body("size()", equalTo(0));
    }

    @Test
    void anAcceptanceReadOrRevocationWhoseCommitFailsLeavesNoEntryAndNoEffect() throws Exception {
        TestOwner owner = ownerWithReadings();
        String code = invite(owner, body(null)).statusCode(201).extract().path("inviteCode");
        String carer = Tokens.tokenFor("carer-" + UUID.randomUUID(), "caregiver");
        long mark = chains.mark();
        try (FailAtCommit failing = FailAtCommit.forOwnerEntry(dataSource, owner.id())) {
            accept(carer, code).statusCode(500);
        }
        assertEquals(0, chains.since(mark));
        String id = accept(carer, code).statusCode(200).extract().path("id");

        mark = chains.mark();
        try (FailAtCommit failing = FailAtCommit.forOwnerEntry(dataSource, owner.id())) {
            read(carer, id).statusCode(500);
            revoke(owner, id).statusCode(500);
        }
        assertEquals(0, chains.since(mark), "a read whose record did not commit is not answered and not logged");
        given().auth().oauth2(owner.token()).get("/owners/" + owner.id() + "/accesses").then().statusCode(200)
                .body("size()", equalTo(0));
        read(carer, id).statusCode(200);
        assertEquals(List.of("CAREGIVER_INVITED", "CAREGIVER_ACCEPTED", "CAREGIVER_READ"), kinds(chains.verified(owner.id())),
                "still active, one read logged");
    }

    @Test
    void aReadRefusedBecauseTheDelegationWasRevokedLeavesNoEntry() throws Exception {
        TestOwner owner = ownerWithReadings();
        String code = invite(owner, body(null)).statusCode(201).extract().path("inviteCode");
        String carer = Tokens.tokenFor("carer-" + UUID.randomUUID(), "caregiver");
        String id = accept(carer, code).statusCode(200).extract().path("id");
        revoke(owner, id).statusCode(200);
        long mark = chains.mark();
        read(carer, id).statusCode(404);
        assertEquals(0, chains.since(mark));
    }

    private TestOwner ownerWithReadings() throws Exception {
        TestOwner owner = ConsentFixtures.newOwner();
        for (int i = 0; i < VALUES.size(); i++) {
            Instant at = BASE.plus(i * 60L + 30, ChronoUnit.MINUTES);
            long t = at.toEpochMilli();
            GatewayWrites.writeSealed(dataSource, owner.id(), "heart_rate", at.truncatedTo(ChronoUnit.HOURS),
                    List.of(new Reading(UUID.randomUUID(), t, t + 5, VALUES.get(i))));
        }
        return owner;
    }

    private static Map<String, Object> body(String subject) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("label", LABEL);
        b.put("caregiverSubject", subject);
        b.put("sharedAs", "Grandma");
        b.put("metrics", List.of("heart_rate"));
        b.put("finestResolution", "raw");
        b.put("window", null);
        b.put("expiresAt", Instant.now().plus(Duration.ofDays(30)).truncatedTo(ChronoUnit.SECONDS).toString());
        return b;
    }

    private static ValidatableResponse invite(TestOwner owner, Map<String, Object> body) {
        return given().auth().oauth2(owner.token()).contentType(ContentType.JSON).body(body)
                .post("/owners/" + owner.id() + "/delegations").then();
    }

    private static ValidatableResponse accept(String caregiver, String code) {
        return given().auth().oauth2(caregiver).contentType(ContentType.JSON).body(Map.of("code", code))
                .post("/caregivers/me/invites").then();
    }

    private static ValidatableResponse read(String caregiver, String id) {
        return given().auth().oauth2(caregiver).queryParam("metric", "heart_rate").queryParam("from", BASE.toString())
                .queryParam("until", BASE.plus(4, ChronoUnit.HOURS).toString()).queryParam("resolution", "raw")
                .get("/caregivers/me/delegations/" + id + "/readings").then();
    }

    private static ValidatableResponse revoke(TestOwner owner, String id) {
        return given().auth().oauth2(owner.token()).delete("/owners/" + owner.id() + "/delegations/" + id).then();
    }

    private static List<String> kinds(List<JsonNode> chain) {
        return chain.stream().map(e -> e.get("kind").asText()).toList();
    }

    private static Set<String> fields(JsonNode object) {
        Set<String> out = new TreeSet<>();
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }
}
