package org.vitalvault.vault.attack;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.vitalvault.vault.support.ConsentFixtures;
import org.vitalvault.vault.support.ConsentFixtures.TestOwner;
import org.vitalvault.vault.support.Researchers;

/**
 * A hostile organisation uses lease requests as an oracle (issue 13): before, they cost nothing,
 * were not rate-limited nor recorded when denied, and answered the exact cohort size, the exact price
 * and per-owner exclusion codes. Run with the production values of the lease-request ε (0.1) and a
 * small discovery budget and daily limit, so the allowances can be exhausted in a test.
 */
@QuarkusTest
@TestProfile(HostileResearcherLeaseTest.ProductionDiscovery.class)
class HostileResearcherLeaseTest {

    static final double REQUEST_EPSILON = 0.1;

    /** The production ε per lease request; an allowance of 30 requests of it and 40 requests a day. */
    public static class ProductionDiscovery implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("vitalvault.policy.lease-request-epsilon", String.valueOf(REQUEST_EPSILON),
                    "vitalvault.policy.discovery-epsilon-per-year", "3.05",
                    "vitalvault.policy.lease-requests-per-day", "40");
        }
    }

    @Inject
    AgroalDataSource dataSource;

    /**
     * Two organisations whose consenting populations differ by exactly one owner (40 and 41) each
     * request 30 leases. Before: cohort sizes 40 and 41 on every repeat. Now each document carries a
     * noisy estimate with its stated noise; guessing which population a document came from is right
     * at most e^ε/(1 + e^ε) ≈ 0.525 of the time for ε = 0.1 (we allow 0.2 on top for 60 samples).
     */
    @Test
    void leaseDocumentsOverPopulationsDifferingByOneOwnerAreIndistinguishableBeyondTheStatedNoise() throws Exception {
        Researchers.Org small = Researchers.approvedOrg();
        Researchers.Org large = Researchers.approvedOrg();
        for (int i = 0; i < 40; i++) {
            consent(small);
            consent(large);
        }
        consent(large);
        List<Long> fromSmall = estimates(small, 30);
        List<Long> fromLarge = estimates(large, 30);
        assertTrue(new HashSet<>(fromSmall).size() > 1 && new HashSet<>(fromLarge).size() > 1,
                "cohort sizes must vary between repeats: " + fromSmall + " / " + fromLarge);
        int right = 0;
        for (long s : fromSmall) {
            right += s < 40.5 ? 1 : 0;
        }
        for (long l : fromLarge) {
            right += l >= 40.5 ? 1 : 0;
        }
        double bound = Math.exp(REQUEST_EPSILON) / (1 + Math.exp(REQUEST_EPSILON)) + 0.2;
        System.out.printf("lease documents over 40 vs 41 owners, 30 each at ε 0.1: sizes %s / %s; threshold guess right"
                + " %d/60, allowed at most %.3f%n", fromSmall, fromLarge, right, bound);
        assertTrue(right / 60.0 <= bound, "the best threshold guess was right " + right + " times of 60");
        assertEquals(30, recorded(small.id(), "APPROVED") + recorded(small.id(), "DENIED"), "every request is on record");
        assertEquals(new java.math.BigDecimal(REQUEST_EPSILON).multiply(java.math.BigDecimal.valueOf(30)).doubleValue(),
                discoverySpent(small.id()), 1e-9, "every request spent its ε of the discovery budget");
    }

    /** A denial names request-level reasons only: no per-owner exclusion code tells who revoked or filtered out. */
    @Test
    void aDenialCarriesOnlyRequestLevelReasonsAndIsRecorded() throws Exception {
        Researchers.Org org = Researchers.approvedOrg();
        for (int i = 0; i < 3; i++) {
            consent(org);
        }
        TestOwner revoking = ConsentFixtures.newOwner();
        ConsentFixtures.revoke(revoking, ConsentFixtures.grant(revoking, ConsentFixtures.grantTo(org.id(), ConsentFixtures.terms())))
                .statusCode(200);
        // The estimate is noisy: over 3 owners a request is approved now and then (≈ 1 in 3 at ε 0.1).
        // Ask until one is denied (all ten approved: probability ≈ 5e-5).
        Map<String, Object> request = null;
        JsonPath denied = null;
        for (int i = 0; i < 10 && denied == null; i++) {
            request = Researchers.leaseRequest(org.id());
            var r = org.requestLease(request).extract();
            if (r.statusCode() == 403) {
                denied = r.jsonPath();
            } else {
                assertEquals(201, r.statusCode());
            }
        }
        assertTrue(denied != null, "ten requests over 3 owners were all approved");
        assertEquals(List.of("COHORT_BELOW_K"), denied.getList("reasons.code"));
        // The same request id again: final once used, also after a denial.
        org.requestLease(request).statusCode(409).body("type", equalTo("https://vitalvault.org/problems/lease-request-replayed"));
        assertTrue(recorded(org.id(), "DENIED") >= 1, "the denial is on record");
    }

    /**
     * The discovery budget runs out; the vault says so, and when to ask again. (With no consenting
     * owner at all a request is still approved now and then: the estimate is noisy — decision 024.)
     */
    @Test
    void theDiscoveryBudgetStopsFurtherLeaseRequestsWithRetryAfter() {
        Researchers.Org org = Researchers.approvedOrg();
        for (int i = 0; i < 30; i++) {
            int status = org.requestLease(Researchers.leaseRequest(org.id())).extract().statusCode();
            assertTrue(status == 201 || status == 403, "a request within the budget is decided, was " + status);
        }
        org.requestLease(Researchers.leaseRequest(org.id())).statusCode(429)
                .header("Retry-After", notNullValue())
                .body("type", equalTo("https://vitalvault.org/problems/discovery-budget-spent"));
    }

    /** Requests that count nothing (their own period is over) cost no ε, but the daily limit still binds, per organisation. */
    @Test
    void leaseRequestsAreRateLimitedPerOrganisation() {
        Researchers.Org org = Researchers.approvedOrg();
        for (int i = 0; i < 40; i++) {
            org.requestLease(ended(org.id())).statusCode(409);
        }
        org.requestLease(ended(org.id())).statusCode(429)
                .header("Retry-After", notNullValue())
                .body("type", equalTo("https://vitalvault.org/problems/lease-requests-rate-limited"));
        Researchers.Org other = Researchers.approvedOrg();
        other.requestLease(ended(other.id())).statusCode(409);
    }

    private static Map<String, Object> ended(UUID org) {
        Map<String, Object> r = Researchers.leaseRequest(org);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        r.put("validity", ConsentFixtures.window(now.minus(Duration.ofDays(3)), now.minus(Duration.ofDays(1))));
        return r;
    }

    private static TestOwner consent(Researchers.Org org) {
        TestOwner owner = ConsentFixtures.newOwner();
        ConsentFixtures.grant(owner, ConsentFixtures.grantTo(org.id(), ConsentFixtures.terms()));
        return owner;
    }

    private static List<Long> estimates(Researchers.Org org, int n) {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            var r = org.requestLease(Researchers.leaseRequest(org.id())).extract();
            if (r.statusCode() == 201) {
                JsonPath doc = r.jsonPath();
                assertTrue(doc.getDouble("lease.cohortSizeStddev") > 10, "the noise is stated");
                out.add(doc.getLong("lease.cohortSize"));
            } else {
                assertEquals(403, r.statusCode());
                out.add(0L);   // a denial: the estimate fell below k
            }
        }
        return out;
    }

    private long recorded(UUID org, String outcome) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select count(*) from lease_request where org_id = ? and outcome = ?")) {
            ps.setObject(1, org);
            ps.setString(2, outcome);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private double discoverySpent(UUID org) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select coalesce(sum(epsilon), 0) from lease_request where org_id = ?")) {
            ps.setObject(1, org);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBigDecimal(1).doubleValue();
            }
        }
    }
}
