package org.vitalvault.vault.attack;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.vitalvault.reading.Reading;
import org.vitalvault.vault.support.ConsentFixtures;
import org.vitalvault.vault.support.ConsentFixtures.TestOwner;
import org.vitalvault.vault.support.GatewayWrites;
import org.vitalvault.vault.support.Researchers;

/**
 * An approved organisation that also registers owners of its own (anyone can) attacks one victim
 * through the query path, on real PostgreSQL through the REST API (issue 13, decision 024). Each
 * test is an attack that succeeded on the code before the noisy release; each now shows the
 * attacker's advantage bounded by the ε actually charged, or the channel closed.
 */
@QuarkusTest
class HostileResearcherQueryTest {

    private static final int K = 11;

    @Inject
    AgroalDataSource dataSource;

    /**
     * The attacker's k − 1 owners publish in every one of 200 hours; the victim in a random half. One
     * query of the 200 hourly buckets at ε = 1 (COUNT only). The attacker guesses "victim present" for
     * a bucket when it is shown (noisy count ≥ k) — on exact-count suppression this guess was right
     * 200 times of 200. An ε-DP release allows an accuracy of at most e^ε/(1 + e^ε) ≈ 0.73 for any
     * guess; we allow 0.05 on top for sampling error (the observed accuracy is near 0.5).
     */
    @Test
    void victimPresenceFromShownBucketsIsBoundedByTheEpsilonCharged() throws Exception {
        Researchers.Org org = Researchers.approvedOrg();
        Map<String, Object> terms = hourlyTerms();
        Instant last = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(2));
        Instant first = last.minus(Duration.ofHours(199));
        List<Instant> hours = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            hours.add(first.plus(Duration.ofHours(i)));
        }
        for (int i = 0; i < K - 1; i++) {
            owner(org, terms, hours, 70);
        }
        List<Instant> shuffled = new ArrayList<>(hours);
        Collections.shuffle(shuffled, new Random(13));
        List<Instant> victimHours = shuffled.subList(0, 100);
        owner(org, terms, victimHours, 90);

        Map<String, Object> request = Researchers.leaseRequest(org.id());
        request.put("granularity", "HOUR");
        request.put("kinds", List.of("COUNT"));
        request.put("dataWindow", ConsentFixtures.window(first.minus(Duration.ofDays(1)), last.plus(Duration.ofHours(1))));
        UUID lease = org.lease(request);
        Map<String, Object> query = query(lease, first, last.plus(Duration.ofHours(1)), "HOUR", List.of("COUNT"), 1.0);
        JsonPath answer = org.query(lease, query).statusCode(200).extract().jsonPath();

        List<Map<String, Object>> buckets = answer.getList("buckets");
        assertEquals(200, buckets.size());
        int rightByFlag = 0;
        int rightByCount = 0;
        for (int i = 0; i < 200; i++) {
            boolean present = victimHours.contains(hours.get(i));
            Map<String, Object> b = buckets.get(i);
            if (present == !Boolean.TRUE.equals(b.get("suppressed"))) {
                rightByFlag++;
            }
            // A bucket without a count (the old code's suppressed buckets) counts as "fewer than k".
            Object count = b.get("contributors") instanceof Map<?, ?> c ? c.get("value") : null;
            if (present == (count != null && ((Number) count).doubleValue() >= K - 0.5)) {
                rightByCount++;
            }
        }
        double bound = Math.exp(1.0) / (1 + Math.exp(1.0)) + 0.05;
        System.out.printf("victim presence, 200 hourly buckets at ε 1: guess from the shown flag right %d/200, from the noisy"
                + " count %d/200; allowed at most %.3f%n", rightByFlag, rightByCount, bound);
        assertTrue(rightByFlag / 200.0 <= bound, "guessing from the shown flag was right " + rightByFlag + " times of 200");
        assertTrue(rightByCount / 200.0 <= bound, "guessing from the noisy count was right " + rightByCount + " times of 200");
    }

    /**
     * At ε = 1e-300 the noise sampler used to overflow only for buckets that were shown: 500 when a
     * bucket held k owners, 200 otherwise, nothing charged. Now ε outside [0.01, 1] is refused with
     * the same 400 before any data is read, whether or not there is data.
     */
    @Test
    void tinyOrHugeEpsilonIsRefusedBeforeAnyDataIsReadWithTheSameAnswerWhetherOrNotDataExists() throws Exception {
        Researchers.Org org = Researchers.approvedOrg();
        Map<String, Object> terms = ConsentFixtures.terms();
        Instant today = Instant.now().truncatedTo(ChronoUnit.DAYS);
        List<Instant> hours = List.of(today.minus(Duration.ofDays(2)).plus(Duration.ofHours(10)));
        for (int i = 0; i < K; i++) {
            owner(org, terms, hours, 70);
        }
        UUID lease = org.lease(Researchers.leaseRequest(org.id()));
        Instant withData = today.minus(Duration.ofDays(2));
        Instant withoutData = today.minus(Duration.ofDays(20));
        for (double epsilon : new double[] {1e-300, 1e-9, 0.009, 1.5, 1e300}) {
            String a = org.query(lease, query(lease, withData, withData.plus(Duration.ofDays(1)), "DAY", List.of("MEAN"), epsilon))
                    .statusCode(400).body("errors[0].field", equalTo("epsilon")).extract().path("detail");
            String b = org.query(lease, query(lease, withoutData, withoutData.plus(Duration.ofDays(1)), "DAY", List.of("MEAN"), epsilon))
                    .statusCode(400).body("errors[0].field", equalTo("epsilon")).extract().path("detail");
            assertEquals(a, b, "the refusal must not depend on the data (ε " + epsilon + ")");
        }
        assertEquals(0, ledgerRowsOf(lease), "nothing was charged");
    }

    /** No input a researcher can sign yields a 500: every hostile query is a 4xx problem. */
    @Test
    void noHostileQueryYieldsA500() throws Exception {
        Researchers.Org org = Researchers.approvedOrg();
        Map<String, Object> wide = ConsentFixtures.terms();
        wide.put("kinds", List.of("MEAN", "COUNT", "QUANTILES", "HISTOGRAM"));
        for (int i = 0; i < K; i++) {
            owner(org, wide, List.of(), 70);
        }
        Map<String, Object> request = Researchers.leaseRequest(org.id());
        request.put("kinds", List.of("MEAN", "COUNT", "QUANTILES", "HISTOGRAM"));
        UUID lease = org.lease(request);
        Instant today = Instant.now().truncatedTo(ChronoUnit.DAYS);
        List<Map<String, Object>> hostile = new ArrayList<>();
        List<Double> manyQuantiles = new ArrayList<>();
        for (int i = 1; i < 100_000; i++) {
            manyQuantiles.add(i / 100_000.0);
        }
        Map<String, Object> q = query(lease, today.minus(Duration.ofDays(3)), today, "DAY", List.of("QUANTILES"), 0.5);
        q.put("quantiles", manyQuantiles);
        hostile.add(q);
        List<Double> ninetyNine = new ArrayList<>();
        for (int i = 1; i <= 99; i++) {
            ninetyNine.add(i / 100.0);
        }
        q = query(lease, today.minus(Duration.ofDays(100)), today, "DAY", List.of("QUANTILES", "HISTOGRAM"), 0.5);
        q.put("quantiles", ninetyNine);
        hostile.add(q);                                                        // 100 × (99 + bins) > 10,000 numbers
        q = query(lease, today.minus(Duration.ofDays(3)), today, "DAY", List.of("QUANTILES"), 0.5);
        q.put("quantiles", List.of(0.0, 1.0));
        hostile.add(q);
        hostile.add(query(lease, today, today.minus(Duration.ofDays(3)), "DAY", List.of("MEAN"), 0.5));
        hostile.add(query(lease, today.minus(Duration.ofDays(3)), today, "HOUR", List.of("MEAN"), 0.5));
        hostile.add(query(lease, today.minus(Duration.ofDays(3000)), today, "DAY", List.of("MEAN"), 0.5));
        hostile.add(query(lease, today.minus(Duration.ofDays(3)), today, "DAY", List.of("MEAN"), -1));
        q = query(lease, today.minus(Duration.ofDays(3)), today, "DAY", List.of("MEAN"), 0.5);
        q.put("epsilon", "NaN");
        hostile.add(q);
        q = query(lease, today.minus(Duration.ofDays(3)), today, "DAY", List.of("MEAN"), 0.5);
        q.put("metric", "blood_glucose");
        hostile.add(q);
        for (Map<String, Object> h : hostile) {
            int status = org.query(lease, h).extract().statusCode();
            assertTrue(status >= 400 && status < 500, "a hostile query answered " + status + ": " + h.keySet());
        }
        assertEquals(0, ledgerRowsOf(lease), "no refused query charged anybody");
    }

    /** A query id is final once used: after a refusal as after an answer, the same id is 409. */
    @Test
    void aQueryIdIsFinalOnceUsedWhateverTheOutcome() throws Exception {
        Researchers.Org org = Researchers.approvedOrg();
        Instant today = Instant.now().truncatedTo(ChronoUnit.DAYS);
        for (int i = 0; i < K; i++) {
            owner(org, ConsentFixtures.terms(), List.of(today.minus(Duration.ofDays(1)).plus(Duration.ofHours(9))), 70);
        }
        UUID lease = org.lease(Researchers.leaseRequest(org.id()));
        Map<String, Object> refused = query(lease, today.minus(Duration.ofDays(3)), today, "DAY", List.of("STDDEV"), 0.5);
        org.query(lease, refused).statusCode(403);
        org.query(lease, refused).statusCode(409).body("type", equalTo("https://vitalvault.org/problems/query-replayed"));
        Map<String, Object> answered = query(lease, today.minus(Duration.ofDays(3)), today, "DAY", List.of("MEAN"), 0.5);
        org.query(lease, answered).statusCode(200);
        org.query(lease, answered).statusCode(409);
        assertEquals(K, ledgerRowsOf(lease), "only the answered query charged the owners, once");
    }

    /** Nothing the organisation is billed tells it how many owners' data counted. */
    @Test
    void whatTheOrganisationOwesIsTheSignedPriceNotTheSumOfTheCountedOwnersCredits() throws Exception {
        Researchers.Org org = Researchers.approvedOrg();
        Instant today = Instant.now().truncatedTo(ChronoUnit.DAYS);
        for (int i = 0; i < K + 1; i++) {
            owner(org, ConsentFixtures.terms(), List.of(today.minus(Duration.ofDays(1)).plus(Duration.ofHours(9))), 70);
        }
        JsonPath issued = org.requestLease(Researchers.leaseRequest(org.id())).statusCode(201).extract().jsonPath();
        UUID lease = UUID.fromString(issued.getString("lease.leaseId"));
        long price = issued.getLong("lease.price.euroCents");
        given().auth().oauth2(org.token()).get("/researchers/" + org.id() + "/leases/" + lease).then().statusCode(200)
                .body("owesCents", equalTo(0));
        org.query(lease, query(lease, today.minus(Duration.ofDays(3)), today, "DAY", List.of("MEAN"), 0.5)).statusCode(200);
        given().auth().oauth2(org.token()).get("/researchers/" + org.id() + "/leases/" + lease).then().statusCode(200)
                .body("owesCents", equalTo((int) price)).body("priceCents", equalTo((int) price));
        given().auth().oauth2(org.token()).get("/researchers/" + org.id()).then().statusCode(200)
                .body("owesCents", equalTo((int) price));
    }

    /** Consent terms for hourly buckets. */
    private static Map<String, Object> hourlyTerms() {
        Map<String, Object> t = ConsentFixtures.terms();
        t.put("granularity", "HOUR");
        t.put("kinds", List.of("COUNT", "MEAN"));
        return t;
    }

    /** An owner of the attacker's (or the victim), consenting to {@code org}, with readings of {@code value} in each hour. */
    private TestOwner owner(Researchers.Org org, Map<String, Object> terms, List<Instant> hours, double value) throws Exception {
        TestOwner owner = ConsentFixtures.newOwner();
        ConsentFixtures.grant(owner, ConsentFixtures.grantTo(org.id(), terms));
        UUID device = UUID.fromString(given().auth().oauth2(owner.token()).contentType(ContentType.JSON)
                .body(Map.of("name", "strap")).post("/owners/" + owner.id() + "/devices")
                .then().statusCode(201).extract().path("id"));
        for (Instant hour : hours) {
            long t = hour.toEpochMilli();
            GatewayWrites.writeSealed(dataSource, owner.id(), "heart_rate", hour,
                    List.of(new Reading(device, t + 1000, t + 1005, value)));
        }
        return owner;
    }

    private static Map<String, Object> query(UUID lease, Instant from, Instant until, String granularity, List<String> kinds,
                                             Object epsilon) {
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("queryId", UUID.randomUUID().toString());
        q.put("leaseId", lease.toString());
        q.put("issuedAt", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        q.put("metric", "heart_rate");
        q.put("kinds", kinds);
        q.put("granularity", granularity);
        q.put("dataWindow", Map.of("from", from.toString(), "until", until.toString()));
        q.put("epsilon", epsilon);
        return q;
    }

    private long ledgerRowsOf(UUID lease) throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select count(*) from privacy_ledger where lease_id = ?")) {
            ps.setObject(1, lease);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
