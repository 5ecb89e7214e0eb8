package org.vitalvault.vault.notify;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.vitalvault.vault.consent.Consents;
import org.vitalvault.vault.coop.Memberships;
import org.vitalvault.vault.export.ExportFormat;
import org.vitalvault.vault.export.OwnerExport;
import org.vitalvault.vault.keys.OwnerKeyRotation;
import org.vitalvault.vault.support.Cohorts;
import org.vitalvault.vault.support.Cohorts.Member;
import org.vitalvault.vault.support.ConsentFixtures;
import org.vitalvault.vault.support.ConsentFixtures.TestOwner;
import org.vitalvault.vault.support.Researchers;

/**
 * Every event the owner is told of posts exactly one notice, in the event's own transaction: a
 * refused or rolled-back event posts none. Consent changes and co-op membership (CONSENT_CHANGE), a
 * research query (DATA_USE, one per included owner), key rotation and export (ACCOUNT).
 */
@QuarkusTest
class NoticeProducersTest {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Consents consents;

    @Inject
    Memberships memberships;

    @Inject
    OwnerKeyRotation rotation;

    @Inject
    OwnerExport export;

    /** Thrown inside a test transaction to roll it back. */
    private static final class RollBack extends RuntimeException {
    }

    @Test
    void creatingAmendingAndRevokingAGrantEachPostOnePlainSentence() {
        Researchers.Org org = Researchers.approvedOrg();
        TestOwner alice = ConsentFixtures.newOwner();
        Map<String, Object> terms = ConsentFixtures.terms();
        Instant until = Instant.parse((String) ((Map<?, ?>) terms.get("validity")).get("until"));
        UUID grant = ConsentFixtures.grant(alice, ConsentFixtures.grantTo(org.id(), terms));
        feed(alice).body("", hasSize(1)).body("[0].kind", equalTo("CONSENT_CHANGE"))
                .body("[0].text", equalTo("You allowed Univ. Test Cardiology to use your heart rate for healthcare research until "
                        + DAY.format(until) + "."));

        Map<String, Object> stricter = ConsentFixtures.terms();
        stricter.put("metrics", List.of("heart_rate", "spo2"));
        stricter.put("validity", ConsentFixtures.window(Instant.now().minusSeconds(60), Instant.parse("2027-03-01T00:00:00Z")));
        given().auth().oauth2(alice.token()).contentType(ContentType.JSON).body(Map.of("terms", stricter))
                .put("/owners/" + alice.id() + "/grants/" + grant).then().statusCode(200);
        feed(alice).body("", hasSize(2)).body("[0].text", equalTo("You changed your consent for Univ. Test Cardiology: your"
                + " heart rate and oxygen saturation by pulse oximetry for healthcare research until 2027-03-01."));

        ConsentFixtures.revoke(alice, grant).statusCode(200);
        feed(alice).body("", hasSize(3)).body("[0].text", equalTo(
                "You withdrew your consent for Univ. Test Cardiology to use your heart rate and oxygen saturation by pulse oximetry."));

        // A refused change (revoked already: 409) tells of nothing.
        ConsentFixtures.revoke(alice, grant).statusCode(409);
        feed(alice).body("", hasSize(3));
    }

    @Test
    void aGrantToAnyResearcherForAPurposeNamesThePurpose() {
        TestOwner alice = ConsentFixtures.newOwner();
        ConsentFixtures.grant(alice, ConsentFixtures.grantToPurpose(ConsentFixtures.terms()));
        String text = feed(alice).extract().path("[0].text");
        assertEquals(true, text.startsWith("You allowed any approved researcher for "), text);
    }

    @Test
    void aRevocationRolledBackPostsNothingAndRevokesNothing() {
        Researchers.Org org = Researchers.approvedOrg();
        TestOwner alice = ConsentFixtures.newOwner();
        UUID grant = ConsentFixtures.grant(alice, ConsentFixtures.grantTo(org.id(), ConsentFixtures.terms()));
        assertThrows(RollBack.class, () -> QuarkusTransaction.requiringNew().run(() -> {
            consents.revoke(alice.id(), grant, alice.subject(), Instant.now());
            throw new RollBack();
        }));
        feed(alice).body("", hasSize(1));
        given().auth().oauth2(alice.token()).get("/owners/" + alice.id() + "/grants/" + grant).then().statusCode(200)
                .body("revokedAt", nullValue());
    }

    @Test
    void joiningAndLeavingACoopEachPostOneSentenceNamingIt() {
        TestOwner founder = ConsentFixtures.newOwner();
        UUID coop = ConsentFixtures.coop(founder, ConsentFixtures.terms());
        TestOwner alice = ConsentFixtures.newOwner();
        ConsentFixtures.join(alice, coop, Map.of()).statusCode(201);
        String joined = feed(alice).body("", hasSize(1)).body("[0].kind", equalTo("CONSENT_CHANGE")).extract().path("[0].text");
        assertEquals(true, joined.startsWith("You joined the co-op Heart rate research co-op: it may use your heart rate until "),
                joined);
        ConsentFixtures.leave(alice, coop).statusCode(200);
        feed(alice).body("", hasSize(2))
                .body("[0].text", equalTo("You left the co-op Heart rate research co-op: it no longer uses your data."));
        ConsentFixtures.leave(alice, coop).statusCode(404);
        feed(alice).body("", hasSize(2));
    }

    @Test
    void aCoopJoinRolledBackPostsNothing() {
        TestOwner founder = ConsentFixtures.newOwner();
        UUID coop = ConsentFixtures.coop(founder, ConsentFixtures.terms());
        TestOwner alice = ConsentFixtures.newOwner();
        assertThrows(RollBack.class, () -> QuarkusTransaction.requiringNew().run(() -> {
            memberships.join(alice.id(), coop, null, alice.subject(), Instant.now().truncatedTo(ChronoUnit.MILLIS));
            throw new RollBack();
        }));
        feed(alice).body("", hasSize(0));
        given().auth().oauth2(alice.token()).get("/owners/" + alice.id() + "/memberships").then().statusCode(200)
                .body("", hasSize(0));
    }

    @Test
    void aKeyRotationPostsOneAccountNoticeAndARolledBackOneNone() throws Exception {
        TestOwner alice = ConsentFixtures.newOwner();
        given().auth().oauth2(alice.token()).post("/owners/" + alice.id() + "/keys/rotate").then().statusCode(200)
                .body("version", equalTo(2));
        feed(alice).body("", hasSize(1)).body("[0].kind", equalTo("ACCOUNT"))
                .body("[0].text", equalTo("Your key was rotated (now version 2); your data is being re-sealed under it."));
        assertThrows(RollBack.class, () -> QuarkusTransaction.requiringNew().run(() -> {
            try {
                rotation.rotate(alice.id());
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
            throw new RollBack();
        }));
        feed(alice).body("", hasSize(1));
        given().auth().oauth2(alice.token()).get("/owners/" + alice.id() + "/keys").then().statusCode(200).body("", hasSize(2));
    }

    @Test
    void anExportPostsOneAccountNoticeBeforeItsFirstByteAndARefusedOneNone() {
        TestOwner alice = ConsentFixtures.newOwner();
        given().auth().oauth2(alice.token()).get("/owners/" + alice.id() + "/export?format=csv").then().statusCode(200);
        feed(alice).body("", hasSize(1)).body("[0].kind", equalTo("ACCOUNT"))
                .body("[0].text", equalTo("Your data was exported (CSV)."));
        given().auth().oauth2(alice.token()).get("/owners/" + alice.id() + "/export?format=xml").then().statusCode(400);
        feed(alice).body("", hasSize(1));
        assertThrows(RollBack.class, () -> QuarkusTransaction.requiringNew().run(() -> {
            export.announce(alice.id(), ExportFormat.FHIR);
            throw new RollBack();
        }));
        feed(alice).body("", hasSize(1));
    }

    @Test
    void aResearchQueryPostsOneDataUseNoticeToEachIncludedOwnerAndNoneToOthers() throws Exception {
        Researchers.Org org = Researchers.approvedOrg();
        List<Member> cohort = Cohorts.consenting(dataSource, 12, org.id(), ConsentFixtures.terms(), 2);
        Member leaver = cohort.get(0);
        ConsentFixtures.revoke(leaver.owner(), leaver.grant()).statusCode(200);
        UUID lease = org.lease(Researchers.leaseRequest(org.id()));
        List<Integer> before = new ArrayList<>();
        for (Member m : cohort) {
            before.add(feed(m.owner()).extract().jsonPath().getList("").size());
        }
        org.query(lease, Researchers.dailyMeans(lease, 2, 0.5)).statusCode(200);
        for (int i = 0; i < cohort.size(); i++) {
            JsonPath feed = feed(cohort.get(i).owner()).extract().jsonPath();
            List<String> kinds = feed.getList("kind");
            long dataUses = kinds.stream().filter("DATA_USE"::equals).count();
            if (i == 0) {
                assertEquals(0, dataUses, "the owner who revoked was not included");
                continue;
            }
            assertEquals(before.get(i) + 1, kinds.size());
            assertEquals(1, dataUses);
            assertEquals("Univ. Test Cardiology used your heart rate (daily aggregates) for healthcare research,"
                    + " at a privacy cost of ε 0.5.", feed.getString("[0].text"));
        }
        // A refused query (over the lease's budget) tells nobody of anything.
        org.query(lease, Researchers.dailyMeans(lease, 2, 0.6)).statusCode(409);
        assertEquals(1, feed(cohort.get(1).owner()).extract().jsonPath().getList("kind").stream()
                .filter("DATA_USE"::equals).count());
    }

    private static io.restassured.response.ValidatableResponse feed(TestOwner owner) {
        return given().auth().oauth2(owner.token()).get("/owners/" + owner.id() + "/notifications").then().statusCode(200);
    }
}
