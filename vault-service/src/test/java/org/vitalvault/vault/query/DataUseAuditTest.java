package org.vitalvault.vault.query;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;
import org.vitalvault.vault.support.AuditChains;
import org.vitalvault.vault.support.AuditEntries;
import org.vitalvault.vault.support.Cohorts;
import org.vitalvault.vault.support.Cohorts.Member;
import org.vitalvault.vault.support.ConsentFixtures;
import org.vitalvault.vault.support.FailAtCommit;
import org.vitalvault.vault.support.Researchers;

/**
 * Every research query lands in the transparency log in its release transaction (issue 17): one
 * DATA_USE entry in each charged owner's chain when the release commits, none when it rolls back —
 * and the entry says what was used, never a value, and nothing of it reaches the researcher.
 */
@QuarkusTest
class DataUseAuditTest {

    private static final Logger LOG = Logger.getLogger(DataUseAuditTest.class);
    private static final Set<String> DETAILS = Set.of("leaseId", "queryId", "organisationId", "purpose", "metric", "kinds",
            "granularity", "dataWindow", "epsilon", "outcome");
    private static final int CREDIT = 50 * 4 * 1 * 2; // STANDARD, DAY, one metric, two started 30-day periods

    @Inject
    AgroalDataSource dataSource;

    @Inject
    AuditEntries entries;

    @Inject
    AuditChains chains;

    @Inject
    ObjectMapper json;

    @Test
    void aCommittedQueryHasExactlyOneEntryInEachChargedOwnersChainAndNoneForAnOwnerWhoLeft() throws Exception {
        Researchers.Org org = Researchers.approvedOrg();
        List<Member> cohort = Cohorts.consenting(dataSource, 12, org.id(), ConsentFixtures.terms(), 2);
        UUID lease = org.lease(Researchers.leaseRequest(org.id()));
        Map<String, Object> first = Researchers.dailyMeans(lease, 2, 0.4);
        org.query(lease, first).statusCode(200);

        for (Member m : cohort) {
            List<AuditEntries.Entry> uses = entries.ofOwner(m.id(), "DATA_USE");
            assertEquals(1, uses.size(), "one entry per included owner");
            JsonNode d = uses.get(0).details();
            assertEquals(with(DETAILS, "creditCents"), fieldNames(d));
            assertEquals(lease.toString(), d.get("leaseId").asText());
            assertEquals(first.get("queryId"), d.get("queryId").asText());
            assertEquals(org.id().toString(), d.get("organisationId").asText());
            assertEquals("HRESCH", d.get("purpose").asText());
            assertEquals("heart_rate", d.get("metric").asText());
            assertEquals(List.of("COUNT", "MEAN"), json.convertValue(d.get("kinds"), List.class), "what was released: means and contributor counts");
            assertEquals("DAY", d.get("granularity").asText());
            assertEquals(((Map<?, ?>) first.get("dataWindow")).get("from"), d.get("dataWindow").get("from").asText());
            assertEquals(0.4, d.get("epsilon").asDouble());
            assertEquals("ANSWERED", d.get("outcome").asText());
            assertEquals(CREDIT, d.get("creditCents").asInt(), "credited by its first query in the lease");
            assertEquals(1, chains.verified(m.id(), "DATA_USE").size());
        }

        Member leaver = cohort.get(0);
        ConsentFixtures.revoke(leaver.owner(), leaver.grant()).statusCode(200);
        Map<String, Object> second = Researchers.dailyMeans(lease, 2, 0.4);
        org.query(lease, second).statusCode(200);

        assertEquals(1, entries.ofOwner(leaver.id(), "DATA_USE").size(), "the second query did not include the leaver");
        for (Member stayer : cohort.subList(1, cohort.size())) {
            List<AuditEntries.Entry> uses = entries.ofOwner(stayer.id(), "DATA_USE");
            assertEquals(2, uses.size());
            JsonNode d = uses.get(1).details();
            assertEquals(second.get("queryId"), d.get("queryId").asText());
            assertEquals(DETAILS, fieldNames(d), "credited once per lease: no credit the second time");
            assertEquals(2, chains.verified(stayer.id(), "DATA_USE").size());
        }
    }

    @Test
    void noEntryHoldsAHealthValueAndTheResearcherSeesNothingOfTheLog() throws Exception {
        Researchers.Org org = Researchers.approvedOrg();
        int n = 12;
        List<Member> cohort = Cohorts.consenting(dataSource, n, org.id(), ConsentFixtures.terms(), 3);
        UUID lease = org.lease(Researchers.leaseRequest(org.id()));
        String answer = org.query(lease, Researchers.dailyMeans(lease, 3, 0.5)).statusCode(200).extract().asString();

        // The readings (60 + i for owner i) and every released value, interval bound and noisy count.
        Set<Double> values = new HashSet<>();
        for (int i = 0; i < n; i++) {
            values.add(60.0 + i);
        }
        for (JsonNode bucket : json.readTree(answer).get("buckets")) {
            for (String field : List.of("mean", "contributors")) {
                JsonNode v = bucket.get(field);
                if (v != null) {
                    for (String number : List.of("value", "low95", "high95")) {
                        if (v.hasNonNull(number)) {
                            values.add(v.get(number).asDouble());
                        }
                    }
                }
            }
        }
        for (Member m : cohort) {
            AuditEntries.Entry entry = entries.ofOwner(m.id(), "DATA_USE").get(0);
            assertEquals(with(DETAILS, "creditCents"), fieldNames(entry.details()), "only the fields a data use is described by");
            for (double number : numbers(entry.details(), new ArrayList<>())) {
                assertFalse(values.contains(number), "entry of " + m.id() + " holds " + number + ", a health value");
            }
        }
        // The researcher's answer names no entry, seq, commitment or log.
        for (String word : List.of("audit", "commitment", "\"seq\"", "\"prev\"", "entryId", "\"log\"")) {
            assertFalse(answer.contains(word), "the answer holds " + word);
        }
        String profile = given().auth().oauth2(org.token()).get("/researchers/" + org.id()).then().statusCode(200)
                .extract().asString();
        assertFalse(profile.contains("audit"));
    }

    @Test
    void aQueryWhoseReleaseFailsAtCommitLeavesNoEntryNoQueuedCommitmentAndNoCharge() throws Exception {
        Researchers.Org org = Researchers.approvedOrg();
        List<Member> cohort = Cohorts.consenting(dataSource, 11, org.id(), ConsentFixtures.terms(), 1);
        UUID lease = org.lease(Researchers.leaseRequest(org.id()));
        Map<String, Object> failing = Researchers.dailyMeans(lease, 1, 0.3);
        long mark = chains.mark();
        // The release transaction's last write marks the query ANSWERED; it fails when it commits,
        // after the ledger, data uses, notices, credits and the log's entries were written in it.
        try (FailAtCommit fail = FailAtCommit.whenWritten(dataSource, "lease_query",
                "NEW.query_id = '" + failing.get("queryId") + "'::uuid and NEW.outcome = 'ANSWERED'")) {
            org.query(lease, failing).statusCode(500);
        }

        assertEquals(0, chains.since(mark), "no entry and no queued commitment");
        for (Member m : cohort) {
            assertTrue(entries.ofOwner(m.id(), "DATA_USE").isEmpty());
            given().auth().oauth2(m.owner().token()).get("/owners/" + m.id() + "/ledger").then().statusCode(200)
                    .body("charges", hasSize(0));
        }
        assertEquals("PENDING", outcome(lease, UUID.fromString((String) failing.get("queryId"))));

        // The next query's entries start each chain at seq 1: the failed one left no gap.
        Map<String, Object> next = Researchers.dailyMeans(lease, 1, 0.3);
        org.query(lease, next).statusCode(200);
        for (Member m : cohort) {
            List<AuditEntries.Entry> uses = entries.ofOwner(m.id(), "DATA_USE");
            assertEquals(1, uses.size());
            assertEquals(next.get("queryId"), uses.get(0).details().get("queryId").asText());
            assertEquals(1, chains.verified(m.id(), "DATA_USE").size());
        }
    }

    @Test
    void aQueryOverMoreThanAThousandOwnersAppendsInAsManyStatementsAsOneOverEleven() throws Exception {
        createStatementStatistics();
        Researchers.Org small = Researchers.approvedOrg();
        Cohorts.consenting(dataSource, 11, small.id(), ConsentFixtures.terms(), 0);
        long few = appendStatements(small);

        Researchers.Org big = Researchers.approvedOrg();
        List<UUID> many = consentingWithoutData(big.id(), 1000);
        long thousands = appendStatements(big);
        LOG.infof("audit append statements in a query's release: %d for 11 owners, %d for %d owners", few, thousands, many.size());

        // ENSURE_CHAINS, LOCK_CHAINS, NEW_IDS, WRITE (AuditAppender): every owner credited alike, one batch.
        assertEquals(4, few);
        assertEquals(few, thousands);
        assertEquals(1, entries.ofOwner(many.get(0), "DATA_USE").size());
        assertEquals(1, entries.ofOwner(many.get(many.size() - 1), "DATA_USE").size());
    }

    /** Owners who consent to {@code org} and have no readings: a query charges them all the same. */
    private List<UUID> consentingWithoutData(UUID org, int n) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<UUID>> made = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                made.add(pool.submit(() -> {
                    ConsentFixtures.TestOwner owner = ConsentFixtures.newOwner();
                    ConsentFixtures.grant(owner, ConsentFixtures.grantTo(org, ConsentFixtures.terms()));
                    return owner.id();
                }));
            }
            List<UUID> owners = new ArrayList<>();
            for (Future<UUID> f : made) {
                owners.add(f.get());
            }
            return owners;
        } finally {
            pool.shutdown();
        }
    }

    /** Leases and queries once; the append statements the vault ran meanwhile, counted by PostgreSQL. */
    private long appendStatements(Researchers.Org org) throws SQLException {
        UUID lease = org.lease(Researchers.leaseRequest(org.id()));
        execute("select pg_stat_statements_reset()");
        org.query(lease, Researchers.dailyMeans(lease, 1, 0.3)).statusCode(200);
        // Only the appender's statements (whatever else may touch the log's other tables meanwhile):
        // ENSURE_CHAINS, LOCK_CHAINS and WRITE name audit_owner_chain; NEW_IDS is normalized by
        // pg_stat_statements to "select nextval($2) from generate_series($3, $1)" (the sequence's
        // name is a literal, and literals become parameters).
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select coalesce(sum(calls), 0) from pg_stat_statements where query like '%audit_owner_chain%'"
                        + " or query like 'select nextval(%) from generate_series(%'");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void createStatementStatistics() throws SQLException {
        execute("create extension if not exists pg_stat_statements");
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private String outcome(UUID lease, UUID query) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select outcome from lease_query where lease_id = ? and query_id = ?")) {
            ps.setObject(1, lease);
            ps.setObject(2, query);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Set<String> with(Set<String> names, String name) {
        Set<String> all = new HashSet<>(names);
        all.add(name);
        return all;
    }

    private static List<Double> numbers(JsonNode node, List<Double> out) {
        if (node.isNumber()) {
            out.add(node.asDouble());
        }
        for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
            numbers(it.next(), out);
        }
        return out;
    }
}
