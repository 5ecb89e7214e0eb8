package org.vitalvault.vault.coop;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vitalvault.vault.support.ConsentFixtures.coop;
import static org.vitalvault.vault.support.ConsentFixtures.join;
import static org.vitalvault.vault.support.ConsentFixtures.leave;
import static org.vitalvault.vault.support.ConsentFixtures.newOwner;
import static org.vitalvault.vault.support.ConsentFixtures.terms;
import static org.vitalvault.vault.support.ConsentFixtures.vaultPublicKey;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.vitalvault.crypto.JwsVerifier;
import org.vitalvault.policy.consent.Granularity;
import org.vitalvault.policy.lease.CohortFilter;
import org.vitalvault.policy.lease.LeaseDecision;
import org.vitalvault.policy.lease.PolicyEngine;
import org.vitalvault.policy.lease.ReasonCode;
import org.vitalvault.vault.consent.ConsentReceipt;
import org.vitalvault.vault.consent.ConsentStore;
import org.vitalvault.vault.ledger.LedgerStore;
import org.vitalvault.vault.support.ConsentFixtures;
import org.vitalvault.vault.support.ConsentFixtures.TestOwner;
import org.vitalvault.vault.support.Decisions;

/** Co-ops: founded with standing terms, joined by adopting them (stricter own terms win), left at any time. */
@QuarkusTest
class CoopResourceTest {

    @Inject
    ConsentStore consent;

    @Inject
    LedgerStore ledgers;

    @Inject
    PolicyEngine engine;

    @Test
    void anOwnerFoundsACoopWhoseStandingTermsEveryOwnerCanRead() {
        TestOwner founder = newOwner();
        Map<String, Object> t = terms();
        String id = given().auth().oauth2(founder.token()).contentType(ContentType.JSON)
                .body(Map.of("name", "Runners for science", "terms", t)).post("/coops").then().statusCode(201)
                .header("Location", containsString("/coops/"))
                .body("name", equalTo("Runners for science"))
                .body("terms.granularity", equalTo("DAY"))
                .extract().path("id");
        TestOwner someone = newOwner();
        given().auth().oauth2(someone.token()).get("/coops/" + id).then().statusCode(200)
                .body("name", equalTo("Runners for science"))
                .body("terms.metrics", equalTo(List.of("heart_rate")))
                .body("terms.minimumCohort", equalTo(11));
        given().auth().oauth2(someone.token()).get("/coops").then().statusCode(200).body("id", hasItem(id));
    }

    @Test
    void coopTermsAreCheckedLikeAGrantsTerms() {
        TestOwner founder = newOwner();
        Map<String, Object> t = terms();
        t.put("minimumCohort", 5);
        t.put("metrics", List.of("mood"));
        given().auth().oauth2(founder.token()).contentType(ContentType.JSON).body(Map.of("terms", t))
                .post("/coops").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("name", "terms.metrics")));
        t.put("metrics", List.of("heart_rate"));
        given().auth().oauth2(founder.token()).contentType(ContentType.JSON).body(Map.of("name", "Small", "terms", t))
                .post("/coops").then().statusCode(400)
                .body("errors.field", equalTo(List.of("terms.minimumCohort")));
    }

    @Test
    void anUnknownCoopAnswers404() {
        TestOwner alice = newOwner();
        UUID nowhere = UUID.randomUUID();
        given().auth().oauth2(alice.token()).get("/coops/" + nowhere).then().statusCode(404);
        join(alice, nowhere, Map.of()).statusCode(404);
    }

    @Test
    void joiningAdoptsTheStandingTermsAndAnswersASignedReceiptForTheCoop() {
        Map<String, Object> t = terms();
        t.put("granularity", "HOUR");
        UUID coop = coop(newOwner(), t);
        TestOwner alice = newOwner();
        JsonPath joined = join(alice, coop, Map.of()).statusCode(201)
                .body("membership.coopId", equalTo(coop.toString()))
                .body("membership.ownTerms", nullValue())
                .body("membership.effectiveTerms.granularity", equalTo("HOUR"))
                .body("receipt.action", equalTo("coop.joined"))
                .body("receipt.consent.audience.coop", equalTo(coop.toString()))
                .body("receipt.principal.ownerId", equalTo(alice.id().toString()))
                .extract().jsonPath();
        JwsVerifier.verify(joined.getString("jws"), vaultPublicKey(), ConsentReceipt.JWS_TYPE);
        assertEquals(joined.getString("membership.joinedAt"), joined.getString("receipt.period.from"),
                "the membership counts from joining on");
        given().auth().oauth2(alice.token()).get("/owners/" + alice.id() + "/memberships").then().statusCode(200)
                .body("$", hasSize(1)).body("[0].coopId", equalTo(coop.toString())).body("[0].leftAt", nullValue());
    }

    @Test
    void ownTermsFinerThanTheCoopAllowsAreA400NamingTheGranularity() {
        Map<String, Object> t = terms();
        UUID coop = coop(newOwner(), t);
        Map<String, Object> own = new LinkedHashMap<>(t);
        own.put("granularity", "HOUR");
        join(newOwner(), coop, Map.of("ownTerms", own)).statusCode(400).contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("ownTerms.granularity")));
    }

    @Test
    void joiningTwiceIs409AndLeavingWithoutMembershipIs404() {
        UUID coop = coop(newOwner(), terms());
        TestOwner alice = newOwner();
        join(alice, coop, Map.of()).statusCode(201);
        join(alice, coop, Map.of()).statusCode(409).body("type", equalTo("https://vitalvault.org/problems/already-member"));
        leave(alice, coop).statusCode(200).body("receipt.action", equalTo("coop.left"))
                .body("membership.leftAt", equalTo(given().auth().oauth2(alice.token())
                        .get("/owners/" + alice.id() + "/memberships").then().extract().<String>path("[0].leftAt")));
        leave(alice, coop).statusCode(404);
        join(alice, coop, Map.of()).statusCode(201);
        given().auth().oauth2(alice.token()).get("/owners/" + alice.id() + "/memberships").then().body("$", hasSize(2));
    }

    @Test
    void aMembersStricterOwnTermsWinWhenTheEngineDecides() {
        Map<String, Object> t = terms();
        t.put("granularity", "HOUR");
        UUID coop = coop(newOwner(), t);
        Set<UUID> plain = new HashSet<>();
        for (int i = 0; i < 11; i++) {
            TestOwner o = newOwner();
            plain.add(o.id());
            join(o, coop, Map.of()).statusCode(201);
        }
        TestOwner strict = newOwner();
        Map<String, Object> own = new LinkedHashMap<>(t);
        own.put("granularity", "DAY");
        join(strict, coop, Map.of("ownTerms", own)).statusCode(201)
                .body("membership.effectiveTerms.granularity", equalTo("DAY"));

        LeaseDecision hourly = decide(coop, Granularity.HOUR);
        assertTrue(hourly.approved(), "" + hourly.reasons());
        assertEquals(plain, hourly.eligibleOwners());
        assertEquals(ReasonCode.GRANULARITY_NOT_COVERED, hourly.exclusions().get(strict.id()));

        LeaseDecision daily = decide(coop, Granularity.DAY);
        assertTrue(daily.eligibleOwners().contains(strict.id()));
        assertEquals(12, daily.eligibleOwners().size());
    }

    @Test
    void aMemberWhoLeavesIsExcludedFromTheNextDecision() {
        UUID coop = coop(newOwner(), terms());
        List<TestOwner> members = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            TestOwner o = newOwner();
            members.add(o);
            join(o, coop, Map.of()).statusCode(201);
        }
        assertEquals(members.stream().map(TestOwner::id).collect(Collectors.toSet()), decide(coop, Granularity.DAY).eligibleOwners());

        leave(members.get(0), coop).statusCode(200);
        LeaseDecision after = decide(coop, Granularity.DAY);
        assertTrue(after.approved());
        assertEquals(11, after.eligibleOwners().size());
        assertFalse(after.eligibleOwners().contains(members.get(0).id()));

        leave(members.get(1), coop).statusCode(200);
        assertEquals(10, decide(coop, Granularity.DAY).eligibleOwners().size(), "10 members left");
    }

    @Test
    void anOwnGrantOutsideTheCoopDoesNotCountInTheCoopsLease() {
        UUID coop = coop(newOwner(), terms());
        for (int i = 0; i < 11; i++) {
            TestOwner o = newOwner();
            given().auth().oauth2(o.token()).contentType(ContentType.JSON)
                    .body(ConsentFixtures.grantToPurpose(terms()))
                    .post("/owners/" + o.id() + "/grants").then().statusCode(201);
        }
        LeaseDecision decision = decide(coop, Granularity.DAY);
        assertEquals(java.util.Set.of(), decision.eligibleOwners(), "no member, no participant");
    }

    @Test
    void anotherOwnersMembershipsAnswer404() {
        UUID coop = coop(newOwner(), terms());
        TestOwner alice = newOwner();
        join(alice, coop, Map.of()).statusCode(201);
        TestOwner mallory = newOwner();
        given().auth().oauth2(mallory.token()).get("/owners/" + alice.id() + "/memberships").then().statusCode(404);
        given().auth().oauth2(mallory.token()).delete("/owners/" + alice.id() + "/memberships/" + coop).then().statusCode(404);
        given().auth().oauth2(mallory.token()).contentType(ContentType.JSON).body(Map.of())
                .put("/owners/" + alice.id() + "/memberships/" + coop).then().statusCode(404);
        given().auth().oauth2(alice.token()).get("/owners/" + alice.id() + "/memberships").then()
                .body("[0].leftAt", nullValue());
    }

    private LeaseDecision decide(UUID coop, Granularity granularity) {
        return Decisions.decide(Decisions.request(UUID.randomUUID(), granularity, CohortFilter.membersOf(coop)),
                consent, ledgers, engine);
    }
}
