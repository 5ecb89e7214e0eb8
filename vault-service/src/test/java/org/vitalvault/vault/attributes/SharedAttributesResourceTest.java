package org.vitalvault.vault.attributes;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vitalvault.vault.support.ConsentFixtures.grant;
import static org.vitalvault.vault.support.ConsentFixtures.grantTo;
import static org.vitalvault.vault.support.ConsentFixtures.newOwner;
import static org.vitalvault.vault.support.ConsentFixtures.terms;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.vitalvault.vault.support.Researchers;
import org.vitalvault.policy.consent.Granularity;
import org.vitalvault.policy.lease.CohortFilter;
import org.vitalvault.policy.lease.LeaseDecision;
import org.vitalvault.policy.lease.PolicyEngine;
import org.vitalvault.policy.lease.ReasonCode;
import org.vitalvault.vault.consent.ConsentStore;
import org.vitalvault.vault.ledger.LedgerStore;
import org.vitalvault.vault.support.ConsentFixtures.TestOwner;
import org.vitalvault.vault.support.Decisions;

/** Owners share coarse attributes for cohort filters, only their own, and can withdraw them. */
@QuarkusTest
class SharedAttributesResourceTest {

    @Inject
    ConsentStore consent;

    @Inject
    SharedAttributesStore attributes;

    @Inject
    LedgerStore ledgers;

    @Inject
    PolicyEngine engine;

    @Test
    void anOwnerSharesNothingUntilTheyChooseTo() {
        TestOwner o = newOwner();
        given().auth().oauth2(o.token()).get("/owners/" + o.id() + "/attributes").then().statusCode(200)
                .body("ageBand", nullValue()).body("sex", nullValue()).body("region", nullValue());
    }

    @Test
    void sharedAttributesReadBackAndLeavingOneOutWithdrawsIt() {
        TestOwner o = newOwner();
        put(o, Map.of("ageBand", "30-39", "sex", "female", "region", "DE-BY")).statusCode(200)
                .body("ageBand", equalTo("30-39")).body("sex", equalTo("female")).body("region", equalTo("DE-BY"));
        put(o, Map.of("region", "DE")).statusCode(200);
        given().auth().oauth2(o.token()).get("/owners/" + o.id() + "/attributes").then().statusCode(200)
                .body("ageBand", nullValue()).body("sex", nullValue()).body("region", equalTo("DE"));
        put(o, Map.of()).statusCode(200);
        assertEquals(org.vitalvault.policy.consent.OwnerAttributes.NONE, attributes.of(o.id()));
    }

    @Test
    void everyInvalidAttributeIsNamedInOneProblem() {
        TestOwner o = newOwner();
        put(o, Map.of("ageBand", "31-40", "sex", "unknown", "region", "Bavaria")).statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("ageBand")).body("errors.field", hasItem("sex"))
                .body("errors.field", hasItem("region"));
        given().auth().oauth2(o.token()).get("/owners/" + o.id() + "/attributes").then().body("region", nullValue());
    }

    @Test
    void anotherOwnersAttributesAreNotFound() {
        TestOwner alice = newOwner();
        TestOwner mallory = newOwner();
        put(alice, Map.of("sex", "female")).statusCode(200);
        given().auth().oauth2(mallory.token()).get("/owners/" + alice.id() + "/attributes").then().statusCode(404);
        given().auth().oauth2(mallory.token()).contentType(ContentType.JSON).body(Map.of("sex", "male"))
                .put("/owners/" + alice.id() + "/attributes").then().statusCode(404);
        given().auth().oauth2(alice.token()).get("/owners/" + alice.id() + "/attributes").then().body("sex", equalTo("female"));
    }

    @Test
    void aRegionFilterSelectsOnlyOwnersWhoShareARegionInsideIt() {
        UUID researcher = Researchers.registeredOrg().id();
        List<TestOwner> bavarians = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            TestOwner o = newOwner();
            grant(o, grantTo(researcher, terms()));
            bavarians.add(o);
            put(o, Map.of("region", i % 2 == 0 ? "DE-BY" : "DE")).statusCode(200);
        }
        TestOwner silent = newOwner();
        grant(silent, grantTo(researcher, terms()));
        TestOwner french = newOwner();
        grant(french, grantTo(researcher, terms()));
        put(french, Map.of("region", "FR")).statusCode(200);

        CohortFilter germany = new CohortFilter(null, Set.of(), Set.of(), Set.of("DE"));
        LeaseDecision decision = Decisions.decide(Decisions.request(researcher, Granularity.DAY, germany), consent,
                attributes, ledgers, engine);
        assertTrue(decision.approved(), "" + decision.reasons());
        assertEquals(12, decision.eligibleOwners().size());
        assertFalse(decision.eligibleOwners().contains(silent.id()), "sharing nothing is never selected");
        assertFalse(decision.eligibleOwners().contains(french.id()));
        assertEquals(ReasonCode.COHORT_FILTER_NOT_MET, decision.exclusions().get(silent.id()));

        // Withdrawing a region counts at the next decision: 11 left is still k.
        put(bavarians.get(0), Map.of()).statusCode(200);
        LeaseDecision next = Decisions.decide(Decisions.request(researcher, Granularity.DAY, germany), consent,
                attributes, ledgers, engine);
        assertEquals(11, next.eligibleOwners().size());
        assertFalse(next.eligibleOwners().contains(bavarians.get(0).id()));
    }

    private static ValidatableResponse put(TestOwner o, Map<String, ?> body) {
        return given().auth().oauth2(o.token()).contentType(ContentType.JSON).body(body)
                .put("/owners/" + o.id() + "/attributes").then();
    }
}
