package org.vitalvault.vault.consent;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vitalvault.vault.support.ConsentFixtures.coop;
import static org.vitalvault.vault.support.ConsentFixtures.grantToPurpose;
import static org.vitalvault.vault.support.ConsentFixtures.join;
import static org.vitalvault.vault.support.ConsentFixtures.leave;
import static org.vitalvault.vault.support.ConsentFixtures.newOwner;
import static org.vitalvault.vault.support.ConsentFixtures.postGrant;
import static org.vitalvault.vault.support.ConsentFixtures.revoke;
import static org.vitalvault.vault.support.ConsentFixtures.terms;

import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.vitalvault.vault.support.AuditChains;
import org.vitalvault.vault.support.FailAtCommit;
import org.vitalvault.vault.support.ConsentFixtures.TestOwner;
import org.vitalvault.vault.support.Decisions;

/**
 * Consent and co-op changes in the owner's chain of the transparency log (issue 17): a committed
 * change always has exactly one entry, naming its signed receipt; a change whose transaction fails
 * at commit leaves neither the change nor an entry.
 */
@QuarkusTest
class ConsentAuditTest {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    AuditChains chains;

    @Test
    void grantingAmendingAndWithdrawingEachAppendExactlyOneEntryNamingTheReceipt() {
        TestOwner alice = newOwner();
        JsonPath created = postGrant(alice, grantToPurpose(terms())).statusCode(201).extract().jsonPath();
        String grant = created.getString("grant.id");
        Map<String, Object> stricter = terms();
        stricter.put("purposes", List.of("HRESCH", Decisions.SHARED_PURPOSE));
        stricter.put("minimumCohort", 50);
        JsonPath amended = given().auth().oauth2(alice.token()).contentType(ContentType.JSON)
                .body(Map.of("terms", stricter)).put("/owners/" + alice.id() + "/grants/" + grant)
                .then().statusCode(200).extract().jsonPath();
        JsonPath withdrawn = revoke(alice, UUID.fromString(grant)).statusCode(200).extract().jsonPath();

        List<JsonNode> chain = chains.verified(alice.id());
        assertEquals(List.of("CONSENT_GRANTED", "CONSENT_AMENDED", "CONSENT_WITHDRAWN"), kinds(chain));
        JsonNode g = chain.get(0).get("details");
        assertEquals(created.getString("receipt.receiptId"), g.get("receiptId").asText());
        assertEquals("grant.created", g.get("action").asText());
        assertEquals(grant, g.get("grantId").asText());
        assertEquals(1, g.get("version").asInt());
        assertEquals(Decisions.SHARED_PURPOSE, g.get("counterparty").get("anyResearcherFor").asText());
        assertEquals(List.of("heart_rate"), texts(g.get("terms").get("metrics")));
        assertEquals("DAY", g.get("terms").get("granularity").asText());
        assertEquals(11, g.get("terms").get("minimumCohort").asInt());
        assertTrue(texts(g.get("purposes")).contains(Decisions.SHARED_PURPOSE));
        assertEquals(Set.of("receiptId", "action", "grantId", "version", "counterparty", "purposes", "terms"), fields(g));

        JsonNode a = chain.get(1).get("details");
        assertEquals(amended.getString("receipt.receiptId"), a.get("receiptId").asText());
        assertEquals(2, a.get("version").asInt());
        assertEquals(50, a.get("terms").get("minimumCohort").asInt());
        JsonNode w = chain.get(2).get("details");
        assertEquals(withdrawn.getString("receipt.receiptId"), w.get("receiptId").asText());
        assertEquals("grant.revoked", w.get("action").asText());
        assertEquals(withdrawn.getString("receipt.period.revokedAt"), w.get("revokedAt").asText());
        chains.assertNoneContains(alice.id(), alice.subject(), alice.token());
    }

    @Test
    void aGrantWhoseCommitFailsLeavesNoGrantAndNoEntry() {
        TestOwner alice = newOwner();
        long mark = chains.mark();
        try (FailAtCommit failing = FailAtCommit.forOwnerEntry(dataSource, alice.id())) {
            postGrant(alice, grantToPurpose(terms())).statusCode(500);
        }
        assertEquals(0, chains.since(mark), "no entry, queued commitment or leaf was left");
        assertEquals(List.of(), chains.verified(alice.id()));
        given().auth().oauth2(alice.token()).get("/owners/" + alice.id() + "/grants").then().statusCode(200)
                .body("size()", org.hamcrest.Matchers.equalTo(0));
        given().auth().oauth2(alice.token()).get("/owners/" + alice.id() + "/consent-events").then()
                .body("size()", org.hamcrest.Matchers.equalTo(0));
    }

    @Test
    void anAmendmentOrWithdrawalWhoseCommitFailsLeavesTheChainAsItWas() {
        TestOwner alice = newOwner();
        String grant = postGrant(alice, grantToPurpose(terms())).statusCode(201).extract().path("grant.id");
        long mark = chains.mark();
        Map<String, Object> stricter = terms();
        stricter.put("purposes", List.of("HRESCH", Decisions.SHARED_PURPOSE));
        stricter.put("minimumCohort", 50);
        try (FailAtCommit failing = FailAtCommit.forOwnerEntry(dataSource, alice.id())) {
            given().auth().oauth2(alice.token()).contentType(ContentType.JSON).body(Map.of("terms", stricter))
                    .put("/owners/" + alice.id() + "/grants/" + grant).then().statusCode(500);
            revoke(alice, UUID.fromString(grant)).statusCode(500);
        }
        assertEquals(0, chains.since(mark));
        assertEquals(List.of("CONSENT_GRANTED"), kinds(chains.verified(alice.id())));

        revoke(alice, UUID.fromString(grant)).statusCode(200);
        List<JsonNode> chain = chains.verified(alice.id());
        assertEquals(List.of("CONSENT_GRANTED", "CONSENT_WITHDRAWN"), kinds(chain), "the chain goes on without a gap");
        assertEquals(2, chain.get(1).get("seq").asInt());
    }

    @Test
    void joiningAndLeavingACoopEachAppendExactlyOneEntry() {
        TestOwner founder = newOwner();
        UUID coop = coop(founder, terms());
        TestOwner member = newOwner();
        String joinReceipt = join(member, coop, Map.of()).statusCode(201).extract().path("receipt.receiptId");
        String leaveReceipt = leave(member, coop).statusCode(200).extract().path("receipt.receiptId");

        List<JsonNode> chain = chains.verified(member.id());
        assertEquals(List.of("COOP_JOINED", "COOP_LEFT"), kinds(chain));
        JsonNode joined = chain.get(0).get("details");
        assertEquals(joinReceipt, joined.get("receiptId").asText());
        assertEquals("coop.joined", joined.get("action").asText());
        assertEquals(coop.toString(), joined.get("coopId").asText());
        assertEquals(coop.toString(), joined.get("counterparty").get("coop").asText());
        JsonNode left = chain.get(1).get("details");
        assertEquals(leaveReceipt, left.get("receiptId").asText());
        assertEquals(coop.toString(), left.get("coopId").asText());
        assertFalse(left.get("revokedAt").isNull(), "leaving ends the grant the membership amounted to");
    }

    @Test
    void aJoinOrLeaveWhoseCommitFailsLeavesNoEntry() {
        TestOwner founder = newOwner();
        UUID coop = coop(founder, terms());
        TestOwner member = newOwner();
        long mark = chains.mark();
        try (FailAtCommit failing = FailAtCommit.forOwnerEntry(dataSource, member.id())) {
            join(member, coop, Map.of()).statusCode(500);
        }
        assertEquals(0, chains.since(mark));
        assertEquals(List.of(), chains.verified(member.id()));

        join(member, coop, Map.of()).statusCode(201);
        mark = chains.mark();
        try (FailAtCommit failing = FailAtCommit.forOwnerEntry(dataSource, member.id())) {
            leave(member, coop).statusCode(500);
        }
        assertEquals(0, chains.since(mark));
        assertEquals(List.of("COOP_JOINED"), kinds(chains.verified(member.id())), "still a member, once");
    }

    static List<String> kinds(List<JsonNode> chain) {
        return chain.stream().map(e -> e.get("kind").asText()).toList();
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    static Set<String> fields(JsonNode object) {
        Set<String> out = new TreeSet<>();
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }
}
