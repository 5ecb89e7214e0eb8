package org.vitalvault.vault.ledger;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.vitalvault.vault.support.ConsentFixtures.grant;
import static org.vitalvault.vault.support.ConsentFixtures.grantTo;
import static org.vitalvault.vault.support.ConsentFixtures.newOwner;
import static org.vitalvault.vault.support.ConsentFixtures.revoke;
import static org.vitalvault.vault.support.ConsentFixtures.terms;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.vitalvault.vault.support.Researchers;
import org.vitalvault.policy.ledger.LedgerEntry;
import org.vitalvault.vault.support.ConsentFixtures.TestOwner;

/** GET /owners/{id}/ledger: the privacy loss leases spent on the owner in the rolling year, and what is left. */
@QuarkusTest
class LedgerResourceTest {

    @Inject
    LedgerStore ledgers;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void theLedgerShowsTheRollingYearsSpendingAndWhatIsLeftUnderTheStrictestCap() {
        TestOwner alice = newOwner();
        grant(alice, grantTo(Researchers.registeredOrg().id(), terms()));               // ε 4 per year
        Map<String, Object> stricter = terms();
        stricter.put("epsilonPerYear", 3.0);
        grant(alice, grantTo(Researchers.registeredOrg().id(), stricter));              // ε 3 per year: binds
        UUID oldLease = UUID.randomUUID();
        UUID lease = UUID.randomUUID();
        Instant now = Instant.now();
        ledgers.record(List.of(new LedgerEntry(alice.id(), oldLease, now.minus(Duration.ofDays(400)), 2.0),
                new LedgerEntry(alice.id(), lease, now.minus(Duration.ofDays(10)), 0.5),
                new LedgerEntry(alice.id(), lease, now.minus(Duration.ofDays(1)), 1.25)));

        JsonPath view = given().auth().oauth2(alice.token()).get("/owners/" + alice.id() + "/ledger")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(3.0f, view.getFloat("yearlyCap"));
        assertEquals(1.75f, view.getFloat("spent"), "the charge 400 days ago is outside the rolling year");
        assertEquals(1.25f, view.getFloat("remaining"));
        assertEquals(List.of(lease.toString(), lease.toString()), view.getList("charges.leaseId"));
        assertEquals(List.of(0.5f, 1.25f), view.getList("charges.epsilon"));
        assertEquals(Duration.ofDays(365), Duration.between(Instant.parse(view.getString("year.from")),
                Instant.parse(view.getString("year.until"))));
    }

    @Test
    void withNoGrantInForceTheSystemsYearlyCapApplies() {
        TestOwner alice = newOwner();
        UUID g = grant(alice, grantTo(Researchers.registeredOrg().id(), terms()));
        revoke(alice, g).statusCode(200);
        JsonPath view = given().auth().oauth2(alice.token()).get("/owners/" + alice.id() + "/ledger")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(10.0f, view.getFloat("yearlyCap"));
        assertEquals(0.0f, view.getFloat("spent"));
        assertEquals(10.0f, view.getFloat("remaining"));
        assertEquals(List.of(), view.getList("charges"));
    }

    @Test
    void aSpentBudgetLeavesNothingRatherThanANegativeRemainder() {
        TestOwner alice = newOwner();
        grant(alice, grantTo(Researchers.registeredOrg().id(), terms()));
        ledgers.record(List.of(new LedgerEntry(alice.id(), UUID.randomUUID(), Instant.now().minusSeconds(5), 4.5)));
        JsonPath view = given().auth().oauth2(alice.token()).get("/owners/" + alice.id() + "/ledger")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(4.5f, view.getFloat("spent"));
        assertEquals(0.0f, view.getFloat("remaining"));
    }

    @Test
    void epsilonIsStoredAsAnExactDecimal() throws SQLException {
        TestOwner alice = newOwner();
        List<LedgerEntry> tenths = new ArrayList<>();
        Instant now = Instant.now();
        for (int i = 0; i < 10; i++) {
            tenths.add(new LedgerEntry(alice.id(), UUID.randomUUID(), now.minusSeconds(100 + i), 0.1));
        }
        ledgers.record(tenths);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select sum(epsilon), min(epsilon)::text from privacy_ledger where owner_id = ?")) {
            ps.setObject(1, alice.id());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(0, BigDecimal.ONE.compareTo(rs.getBigDecimal(1)), "ten charges of 0.1 sum to exactly 1");
                assertEquals("0.1", rs.getString(2));
            }
        }
        assertEquals(1.0f, given().auth().oauth2(alice.token()).get("/owners/" + alice.id() + "/ledger")
                .then().statusCode(200).extract().jsonPath().getFloat("spent"));
    }

    @Test
    void anotherOwnersLedgerAnswers404() {
        TestOwner alice = newOwner();
        given().auth().oauth2(newOwner().token()).get("/owners/" + alice.id() + "/ledger").then().statusCode(404)
                .contentType("application/problem+json");
    }
}
