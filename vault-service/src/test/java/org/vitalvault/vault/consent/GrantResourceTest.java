package org.vitalvault.vault.consent;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.vitalvault.vault.support.ConsentFixtures.grant;
import static org.vitalvault.vault.support.ConsentFixtures.grantTo;
import static org.vitalvault.vault.support.ConsentFixtures.grantToPurpose;
import static org.vitalvault.vault.support.ConsentFixtures.newOwner;
import static org.vitalvault.vault.support.ConsentFixtures.postGrant;
import static org.vitalvault.vault.support.ConsentFixtures.revoke;
import static org.vitalvault.vault.support.ConsentFixtures.terms;
import static org.vitalvault.vault.support.ConsentFixtures.window;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vitalvault.vault.support.Researchers;
import org.vitalvault.vault.support.ConsentFixtures.TestOwner;

/** /owners/{id}/grants: an owner creates, lists, reads, amends and revokes consent grants; bad input is a 400 naming the field. */
@QuarkusTest
class GrantResourceTest {

    private UUID researcher;

    @BeforeEach
    void anOrganisation() {
        researcher = Researchers.registeredOrg().id();
    }

    @Test
    void creatingAGrantAnswers201WithItsLocationTheGrantAndAReceipt() {
        TestOwner alice = newOwner();
        String id = postGrant(alice, grantTo(researcher, terms())).statusCode(201)
                .header("Location", containsString("/owners/" + alice.id() + "/grants/"))
                .body("grant.audience.researcher", equalTo(researcher.toString()))
                .body("grant.terms.metrics", equalTo(List.of("heart_rate")))
                .body("grant.terms.kinds", equalTo(List.of("COUNT", "MEAN")))
                .body("grant.terms.granularity", equalTo("DAY"))
                .body("grant.terms.minimumCohort", equalTo(11))
                .body("grant.version", equalTo(1))
                .body("grant.inForce", equalTo(true))
                .body("grant.revokedAt", nullValue())
                .body("receipt.action", equalTo("grant.created"))
                .extract().path("grant.id");
        given().auth().oauth2(alice.token()).get("/owners/" + alice.id() + "/grants/" + id).then().statusCode(200)
                .body("id", equalTo(id)).body("terms.epsilonPerYear", equalTo(4.0f));
    }

    @Test
    void omittedValidityStartMinimumCohortAndPriceTierTakeTheirDefaults() {
        TestOwner alice = newOwner();
        Map<String, Object> t = terms();
        t.remove("minimumCohort");
        t.remove("priceTier");
        t.put("validity", Map.of("until", Instant.now().plus(Duration.ofDays(30)).toString()));
        Instant before = Instant.now().minusMillis(1);
        String from = postGrant(alice, grantTo(researcher, t)).statusCode(201)
                .body("grant.terms.minimumCohort", equalTo(11))
                .body("grant.terms.priceTier", equalTo("STANDARD"))
                .extract().path("grant.terms.validity.from");
        assertEquals(false, Instant.parse(from).isBefore(before), "validity starts at the time of the request");
    }

    @Test
    void grantsAreListedOldestFirstRevokedOnesIncluded() {
        TestOwner alice = newOwner();
        UUID first = grant(alice, grantTo(researcher, terms()));
        UUID second = grant(alice, grantToPurpose(terms()));
        revoke(alice, first).statusCode(200);
        given().auth().oauth2(alice.token()).get("/owners/" + alice.id() + "/grants").then().statusCode(200)
                .body("id", equalTo(List.of(first.toString(), second.toString())))
                .body("[0].inForce", equalTo(false))
                .body("[1].audience.purpose", equalTo("PUBHLTH"))
                .body("[1].inForce", equalTo(true));
    }

    @Test
    void anAmendmentReplacesTheTermsKeepsTheAudienceAndRaisesTheVersion() {
        TestOwner alice = newOwner();
        UUID id = grant(alice, grantTo(researcher, terms()));
        Map<String, Object> stricter = terms();
        stricter.put("granularity", "WEEK");
        stricter.put("minimumCohort", 50);
        given().auth().oauth2(alice.token()).contentType(ContentType.JSON).body(Map.of("terms", stricter))
                .put("/owners/" + alice.id() + "/grants/" + id).then().statusCode(200)
                .body("grant.id", equalTo(id.toString()))
                .body("grant.version", equalTo(2))
                .body("grant.audience.researcher", equalTo(researcher.toString()))
                .body("receipt.action", equalTo("grant.amended"))
                .body("receipt.consent.version", equalTo(2));
        given().auth().oauth2(alice.token()).get("/owners/" + alice.id() + "/grants/" + id).then().statusCode(200)
                .body("terms.granularity", equalTo("WEEK"))
                .body("terms.minimumCohort", equalTo(50))
                .body("version", equalTo(2));
    }

    @Test
    void anAmendmentCannotChangeTheAudience() {
        TestOwner alice = newOwner();
        UUID id = grant(alice, grantTo(researcher, terms()));
        given().auth().oauth2(alice.token()).contentType(ContentType.JSON).body(grantTo(Researchers.registeredOrg().id(), terms()))
                .put("/owners/" + alice.id() + "/grants/" + id).then().statusCode(400)
                .body("errors.field", equalTo(List.of("audience")));
    }

    @Test
    void aRevokedGrantStaysListedOutOfForceAndCannotBeAmendedOrRevokedAgain() {
        TestOwner alice = newOwner();
        UUID id = grant(alice, grantTo(researcher, terms()));
        String revokedAt = revoke(alice, id).statusCode(200)
                .body("grant.inForce", equalTo(false))
                .body("receipt.action", equalTo("grant.revoked"))
                .extract().path("grant.revokedAt");
        given().auth().oauth2(alice.token()).get("/owners/" + alice.id() + "/grants/" + id).then().statusCode(200)
                .body("revokedAt", equalTo(revokedAt)).body("inForce", equalTo(false));
        revoke(alice, id).statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("https://vitalvault.org/problems/grant-revoked"));
        given().auth().oauth2(alice.token()).contentType(ContentType.JSON).body(Map.of("terms", terms()))
                .put("/owners/" + alice.id() + "/grants/" + id).then().statusCode(409);
    }

    @Test
    void anUnknownMetricIsA400NamingTheMetricsField() {
        Map<String, Object> t = terms();
        t.put("metrics", List.of("heart_rate", "mood"));
        postGrant(newOwner(), grantTo(researcher, t)).statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("https://vitalvault.org/problems/invalid-input"))
                .body("errors.field", equalTo(List.of("terms.metrics")))
                .body("errors[0].message", containsString("unknown metric 'mood'"));
    }

    @Test
    void validityEndingInThePastIsA400NamingTheValidityField() {
        Map<String, Object> t = terms();
        Instant now = Instant.now();
        t.put("validity", window(now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1))));
        postGrant(newOwner(), grantTo(researcher, t)).statusCode(400)
                .body("errors.field", equalTo(List.of("terms.validity")))
                .body("errors[0].message", containsString("must not end in the past"));
    }

    @Test
    void anEpsilonOfZeroOrLessIsA400NamingThatEpsilon() {
        Map<String, Object> perLease = terms();
        perLease.put("epsilonPerLease", 0);
        postGrant(newOwner(), grantTo(researcher, perLease)).statusCode(400)
                .body("errors.field", equalTo(List.of("terms.epsilonPerLease")))
                .body("errors[0].message", containsString("greater than 0"));
        Map<String, Object> perYear = terms();
        perYear.put("epsilonPerYear", -1.5);
        postGrant(newOwner(), grantTo(researcher, perYear)).statusCode(400)
                .body("errors.field", equalTo(List.of("terms.epsilonPerYear")));
    }

    @Test
    void aMinimumCohortBelowTheSystemMinimumOf11IsA400NamingTheField() {
        Map<String, Object> t = terms();
        t.put("minimumCohort", 10);
        postGrant(newOwner(), grantTo(researcher, t)).statusCode(400)
                .body("errors.field", equalTo(List.of("terms.minimumCohort")))
                .body("errors[0].message", containsString("at least 11"));
    }

    @Test
    void anUnknownGranularityIsA400ListingTheAllowedValues() {
        Map<String, Object> t = terms();
        t.put("granularity", "SECOND");
        postGrant(newOwner(), grantTo(researcher, t)).statusCode(400)
                .body("errors.field", equalTo(List.of("terms.granularity")))
                .body("errors[0].message", equalTo("must be one of HOUR, DAY, WEEK, MONTH"));
    }

    @Test
    void everyMissingFieldIsNamedInOne400() {
        postGrant(newOwner(), Map.of("terms", Map.of("validity", Map.of("from", Instant.now().toString())))).statusCode(400)
                .body("errors.field", hasItems("audience", "terms.purposes", "terms.metrics", "terms.kinds",
                        "terms.granularity", "terms.dataWindow", "terms.validity.until", "terms.epsilonPerLease",
                        "terms.epsilonPerYear"));
        postGrant(newOwner(), Map.of("audience", Map.of("researcher", researcher.toString()))).statusCode(400)
                .body("errors.field", equalTo(List.of("terms")));
    }

    @Test
    void malformedJsonIsA400OnTheBody() {
        TestOwner alice = newOwner();
        given().auth().oauth2(alice.token()).contentType(ContentType.JSON).body("{\"audience\": {\"researcher\":")
                .post("/owners/" + alice.id() + "/grants").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("body"));
    }

    @Test
    void aValueOfTheWrongTypeIsA400NamingItsField() {
        Map<String, Object> t = terms();
        t.put("minimumCohort", "many");
        postGrant(newOwner(), grantTo(researcher, t)).statusCode(400)
                .body("errors.field", equalTo(List.of("terms.minimumCohort")))
                .body("errors[0].message", equalTo("must be a number"));
        Map<String, Object> badTime = terms();
        badTime.put("validity", Map.of("until", "next June"));
        postGrant(newOwner(), grantTo(researcher, badTime)).statusCode(400)
                .body("errors.field", equalTo(List.of("terms.validity.until")));
    }

    @Test
    void aPurposeAudienceMustBeAmongThePurposes() {
        Map<String, Object> t = terms();
        postGrant(newOwner(), Map.of("audience", Map.of("purpose", "PUBHLTH"), "terms", t)).statusCode(400)
                .body("errors.field", equalTo(List.of("terms.purposes")));
        postGrant(newOwner(), Map.of("audience", Map.of("purpose", "TREAT"), "terms", t)).statusCode(400)
                .body("errors.field", equalTo(List.of("audience.purpose")));
    }

    @Test
    void anOwnerGrantsToACoopByJoiningItNotWithAGrant() {
        postGrant(newOwner(), Map.of("audience", Map.of("coop", UUID.randomUUID().toString()), "terms", terms()))
                .statusCode(400).body("errors.field", equalTo(List.of("audience.coop")));
    }

    @Test
    void anotherOwnersGrantsAnswer404ToListReadAmendAndRevokeAndStayUnchanged() {
        TestOwner alice = newOwner();
        TestOwner mallory = newOwner();
        UUID id = grant(alice, grantTo(researcher, terms()));
        String path = "/owners/" + alice.id() + "/grants";
        given().auth().oauth2(mallory.token()).get(path).then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(mallory.token()).get(path + "/" + id).then().statusCode(404);
        given().auth().oauth2(mallory.token()).contentType(ContentType.JSON).body(Map.of("terms", terms()))
                .put(path + "/" + id).then().statusCode(404);
        given().auth().oauth2(mallory.token()).delete(path + "/" + id).then().statusCode(404);
        // Through mallory's own vault, alice's grant id is as unknown as any other.
        given().auth().oauth2(mallory.token()).get("/owners/" + mallory.id() + "/grants/" + id).then().statusCode(404);
        given().auth().oauth2(mallory.token()).delete("/owners/" + mallory.id() + "/grants/" + id).then().statusCode(404);
        given().auth().oauth2(alice.token()).get(path + "/" + id).then().statusCode(200)
                .body("version", equalTo(1)).body("inForce", equalTo(true));
        given().auth().oauth2(mallory.token()).get("/owners/" + mallory.id() + "/grants").then().statusCode(200)
                .body("$", hasSize(0));
    }

    @Test
    void grantsNeedAnOwnerToken() {
        TestOwner alice = newOwner();
        given().get("/owners/" + alice.id() + "/grants").then().statusCode(401);
    }
}
