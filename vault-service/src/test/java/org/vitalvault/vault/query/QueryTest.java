package org.vitalvault.vault.query;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.vitalvault.vault.support.Cohorts;
import org.vitalvault.vault.support.Cohorts.Member;
import org.vitalvault.vault.support.ConsentFixtures;
import org.vitalvault.vault.support.Researchers;

/**
 * Queries inside a lease on real PostgreSQL: decided again at every query, charged to the lease and
 * to every included owner, listed in the owners' data uses, credited, and refused with stable codes.
 */
@QuarkusTest
class QueryTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aQueryAnswersNoisyDailyMeansWithScaleIntervalContributorsAndRemainingBudget() throws Exception {
        Researchers.Org org = Researchers.approvedOrg();
        // 120 owners: a bucket is shown when its noisy count (scale 12 here) reaches k = 11, all but surely.
        Cohorts.consenting(dataSource, 120, org.id(), ConsentFixtures.terms(), 3);
        UUID lease = org.lease(Researchers.leaseRequest(org.id()));
        org.query(lease, Researchers.dailyMeans(lease, 3, 0.5)).statusCode(200)
                .body("buckets", hasSize(3))
                .body("buckets.suppressed", equalTo(List.of(false, false, false)))
                .body("buckets[0].mean.noiseScale", greaterThan(0f))
                .body("buckets[0].mean.low95", lessThanOrEqualTo(220f))
                .body("buckets[0].contributors.noiseScale", greaterThan(0f))
                .body("minimumCohort", equalTo(11))
                .body("budget.total", equalTo(1.0f))
                .body("budget.spent", equalTo(0.5f))
                .body("budget.remaining", equalTo(0.5f));
    }

    @Test
    void anOwnerWhoRevokesBetweenTwoQueriesIsAbsentFromTheSecondAndTheirLedgerIsUnchangedByIt() throws Exception {
        Researchers.Org org = Researchers.approvedOrg();
        List<Member> cohort = Cohorts.consenting(dataSource, 12, org.id(), ConsentFixtures.terms(), 3);
        UUID lease = org.lease(Researchers.leaseRequest(org.id()));
        org.query(lease, Researchers.dailyMeans(lease, 3, 0.4)).statusCode(200);

        Member leaver = cohort.get(0);
        ConsentFixtures.revoke(leaver.owner(), leaver.grant()).statusCode(200);
        org.query(lease, Researchers.dailyMeans(lease, 3, 0.4)).statusCode(200);

        ledger(leaver).body("charges", hasSize(1)).body("spent", equalTo(0.4f));
        dataUses(leaver).body("", hasSize(1));
        Member stayer = cohort.get(1);
        ledger(stayer).body("charges", hasSize(2));
        dataUses(stayer).body("", hasSize(2))
                .body("[0].leaseId", equalTo(lease.toString()))
                .body("[0].organisation.id", equalTo(org.id().toString()))
                .body("[0].purpose", equalTo("HRESCH"))
                .body("[0].metric", equalTo("heart_rate"))
                .body("[0].granularity", equalTo("DAY"))
                .body("[0].epsilon", equalTo(0.4f));
    }

    @Test
    void budgetExhaustionDeniesTheNextQueryWith409AndChargesNobody() throws Exception {
        Researchers.Org org = Researchers.approvedOrg();
        List<Member> cohort = Cohorts.consenting(dataSource, 11, org.id(), ConsentFixtures.terms(), 2);
        UUID lease = org.lease(Researchers.leaseRequest(org.id()));
        org.query(lease, Researchers.dailyMeans(lease, 2, 0.6)).statusCode(200);
        org.query(lease, Researchers.dailyMeans(lease, 2, 0.6)).statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("https://vitalvault.org/problems/query-refused"))
                .body("reasons.code", hasItem("LEASE_BUDGET_EXHAUSTED"));
        ledger(cohort.get(0)).body("charges", hasSize(1));
        dataUses(cohort.get(0)).body("", hasSize(1));
    }

    @Test
    void aLeaseWhosePeriodEndedRefusesQueriesWith409() throws Exception {
        Researchers.Org org = Researchers.approvedOrg();
        Cohorts.consenting(dataSource, 11, org.id(), ConsentFixtures.terms(), 1);
        Map<String, Object> request = Researchers.leaseRequest(org.id());
        Instant now = Instant.now();
        request.put("validity", ConsentFixtures.window(now.minusSeconds(60), now.plusSeconds(2)));
        UUID lease = org.lease(request);
        Thread.sleep(2500);
        org.query(lease, Researchers.dailyMeans(lease, 1, 0.5)).statusCode(409)
                .body("reasons.code", hasItem("LEASE_PERIOD_ENDED"));
    }

    @Test
    void anOwnerWhoseYearlyEpsilonIsSpentSilentlyStopsCounting() throws Exception {
        Researchers.Org org = Researchers.approvedOrg();
        List<Member> cohort = Cohorts.consenting(dataSource, 11, org.id(), ConsentFixtures.terms(), 2);
        Map<String, Object> frugal = ConsentFixtures.terms();
        frugal.put("epsilonPerYear", 1.0);
        Member spent = Cohorts.consenting(dataSource, 1, org.id(), frugal, 2).get(0);

        UUID first = org.lease(Researchers.leaseRequest(org.id()));
        org.query(first, Researchers.dailyMeans(first, 2, 0.6)).statusCode(200);
        UUID second = org.lease(Researchers.leaseRequest(org.id()));
        org.query(second, Researchers.dailyMeans(second, 2, 0.6)).statusCode(200)
                .body("buckets", hasSize(2));   // shown or not is the noise's to decide (decision 024)

        ledger(spent).body("charges", hasSize(1)).body("spent", equalTo(0.6f)).body("remaining", equalTo(0.4f));
        dataUses(spent).body("", hasSize(1)).body("[0].leaseId", equalTo(first.toString()));
        ledger(cohort.get(0)).body("charges", hasSize(2));
    }

    @Test
    void theSameQueryTwiceGivesDifferentNoise() throws Exception {
        Researchers.Org org = Researchers.approvedOrg();
        Cohorts.consenting(dataSource, 11, org.id(), ConsentFixtures.terms(), 3);
        UUID lease = org.lease(Researchers.leaseRequest(org.id()));
        // Means and noisy contributor counts together: at this ε a mean is often clamped to the
        // catalogue's bound (30 or 220 bpm), so two answers' means alone coincide by chance now and
        // then (a CI run saw [30, 30, 30] twice); the counts' noise does not clamp that way.
        JsonPath once = org.query(lease, Researchers.dailyMeans(lease, 3, 0.4)).statusCode(200).extract().jsonPath();
        JsonPath twice = org.query(lease, Researchers.dailyMeans(lease, 3, 0.4)).statusCode(200).extract().jsonPath();
        assertEquals(3, once.getList("buckets").size());
        assertNotEquals(List.of(once.getList("buckets.mean.value"), once.getList("buckets.contributors.value")),
                List.of(twice.getList("buckets.mean.value"), twice.getList("buckets.contributors.value")));
    }

    @Test
    void aReplayedQueryIdIsRefusedWith409AndChargesNothing() throws Exception {
        Researchers.Org org = Researchers.approvedOrg();
        List<Member> cohort = Cohorts.consenting(dataSource, 11, org.id(), ConsentFixtures.terms(), 1);
        UUID lease = org.lease(Researchers.leaseRequest(org.id()));
        Map<String, Object> query = Researchers.dailyMeans(lease, 1, 0.3);
        org.query(lease, query).statusCode(200);
        org.query(lease, query).statusCode(409).body("type", equalTo("https://vitalvault.org/problems/query-replayed"));
        ledger(cohort.get(0)).body("charges", hasSize(1));
    }

    @Test
    void aQuerySignedByAnotherKeyIsRefused() throws Exception {
        Researchers.Org org = Researchers.approvedOrg();
        Cohorts.consenting(dataSource, 11, org.id(), ConsentFixtures.terms(), 1);
        UUID lease = org.lease(Researchers.leaseRequest(org.id()));
        String forged = Researchers.sign(Researchers.newKeyPair(), "vitalvault.lease-query", Researchers.dailyMeans(lease, 1, 0.3));
        org.postJws("/researchers/" + org.id() + "/leases/" + lease + "/queries", forged).statusCode(403)
                .body("type", equalTo("https://vitalvault.org/problems/signature-invalid"));
    }

    @Test
    void aQueryForAKindTheLeaseDoesNotCoverIsRefusedAsNotLeased() throws Exception {
        Researchers.Org org = Researchers.approvedOrg();
        Cohorts.consenting(dataSource, 11, org.id(), ConsentFixtures.terms(), 1);
        UUID lease = org.lease(Researchers.leaseRequest(org.id()));
        Map<String, Object> query = Researchers.dailyMeans(lease, 1, 0.3);
        query.put("kinds", List.of("STDDEV"));
        org.query(lease, query).statusCode(403).body("reasons.code", hasItem("NOT_LEASED"));
    }

    @Test
    void ownersSeeTheirCreditAndTheOrganisationOwesTheSignedPriceOnceItQueries() throws Exception {
        Researchers.Org org = Researchers.approvedOrg();
        List<Member> cohort = Cohorts.consenting(dataSource, 12, org.id(), ConsentFixtures.terms(), 1);
        UUID lease = org.lease(Researchers.leaseRequest(org.id()));
        given().auth().oauth2(org.token()).get("/researchers/" + org.id()).then().statusCode(200).body("owesCents", equalTo(0));
        ConsentFixtures.revoke(cohort.get(0).owner(), cohort.get(0).grant()).statusCode(200);
        org.query(lease, Researchers.dailyMeans(lease, 1, 0.3)).statusCode(200);
        org.query(lease, Researchers.dailyMeans(lease, 1, 0.3)).statusCode(200);

        int credit = 50 * 4 * 1 * 2; // STANDARD, DAY, one metric, a 30-day lease plus a minute: two started periods
        given().auth().oauth2(cohort.get(1).owner().token()).get("/owners/" + cohort.get(1).id() + "/credits").then()
                .statusCode(200).body("totalCents", equalTo(credit)).body("credits", hasSize(1))
                .body("credits[0].leaseId", equalTo(lease.toString()));
        given().auth().oauth2(cohort.get(0).owner().token()).get("/owners/" + cohort.get(0).id() + "/credits").then()
                .statusCode(200).body("totalCents", equalTo(0));
        // The organisation owes the lease's signed price (made from a noisy estimate; exact at the tests'
        // lease-request ε), never the sum of the credits of the owners whose data counted (decision 024).
        given().auth().oauth2(org.token()).get("/researchers/" + org.id()).then().statusCode(200)
                .body("owesCents", equalTo(12 * credit));
        given().auth().oauth2(org.token()).get("/researchers/" + org.id() + "/leases/" + lease).then().statusCode(200)
                .body("owesCents", equalTo(12 * credit)).body("priceCents", equalTo(12 * credit));
    }

    @Test
    void anOwnerCannotListAnotherOwnersDataUses() throws Exception {
        ConsentFixtures.TestOwner alice = ConsentFixtures.newOwner();
        ConsentFixtures.TestOwner bob = ConsentFixtures.newOwner();
        given().auth().oauth2(bob.token()).get("/owners/" + alice.id() + "/data-uses").then().statusCode(404);
    }

    private static ValidatableResponse ledger(Member m) {
        return given().auth().oauth2(m.owner().token()).get("/owners/" + m.id() + "/ledger").then().statusCode(200);
    }

    private static ValidatableResponse dataUses(Member m) {
        return given().auth().oauth2(m.owner().token()).get("/owners/" + m.id() + "/data-uses").then().statusCode(200);
    }
}
