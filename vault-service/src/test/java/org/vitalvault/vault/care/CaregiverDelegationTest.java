package org.vitalvault.vault.care;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.vitalvault.reading.Reading;
import org.vitalvault.vault.support.ConsentFixtures;
import org.vitalvault.vault.support.ConsentFixtures.TestOwner;
import org.vitalvault.vault.support.GatewayWrites;
import org.vitalvault.vault.support.Tokens;

/**
 * Caregivers (issue 16, docs/decisions/046) on every boundary: a caregiver reads exactly the
 * delegation's metrics, resolution and data window while it is active, and from the very next request
 * after a revocation or expiry gets the same 404 as for an unknown or another's delegation; invite
 * codes work once and guessing them is bounded; every read is in the owner's access list; a dump
 * names nobody.
 */
@QuarkusTest
class CaregiverDelegationTest {

    /** Six whole hours ago: readings at BASE + 30 min, 1 h 30, 2 h 30, 3 h 30. */
    private static final Instant BASE = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(6, ChronoUnit.HOURS);
    private static final Instant WINDOW_FROM = BASE.plus(1, ChronoUnit.HOURS);
    private static final Instant WINDOW_UNTIL = BASE.plus(3, ChronoUnit.HOURS);

    @Inject
    AgroalDataSource dataSource;

    // ---- the owner invites, the caregiver reads -------------------------------------------------

    @Test
    void aCaregiverAcceptsAnInviteAndReadsExactlyTheDelegatedData() throws Exception {
        TestOwner owner = ownerWithReadings();
        JsonPath created = invite(owner, body("Sam (nurse)", null, List.of("heart_rate"), "raw", window()))
                .statusCode(201).body("status", equalTo("invited")).extract().jsonPath();
        String code = created.getString("inviteCode");
        String carer = caregiver();

        accept(carer, code).statusCode(200).body("id", equalTo(created.getString("id")))
                .body("sharedAs", equalTo("Grandma")).body("finestResolution", equalTo("raw"))
                .body("$", not(hasKey("label")));
        given().auth().oauth2(carer).get("/caregivers/me/delegations").then().statusCode(200)
                .body("id", equalTo(List.of(created.getString("id"))));
        get(owner, created.getString("id")).statusCode(200).body("status", equalTo("active"))
                .body("acceptedAt", notNullValue()).body("$", not(hasKey("inviteCode")));

        JsonPath series = read(carer, created.getString("id"), "heart_rate", BASE, BASE.plus(4, ChronoUnit.HOURS), "raw")
                .statusCode(200).extract().jsonPath();
        assertEquals(List.of(72.0f, 73.0f), series.getList("readings.value"), "only the readings inside the window");
    }

    @Test
    void aDelegationForANamedSubjectNeedsNoCodeAndOnlyThatSubjectHoldsIt() throws Exception {
        TestOwner owner = ownerWithReadings();
        String subject = "carer-" + UUID.randomUUID();
        String id = invite(owner, body("Dr. Who", subject, List.of("heart_rate"), "raw", null)).statusCode(201)
                .body("$", not(hasKey("inviteCode"))).body("status", equalTo("active")).extract().path("id");
        read(Tokens.tokenFor(subject, "caregiver"), id, "heart_rate", BASE, BASE.plus(4, ChronoUnit.HOURS), "raw")
                .statusCode(200).body("count", equalTo(4));
        read(caregiver(), id, "heart_rate", BASE, BASE.plus(4, ChronoUnit.HOURS), "raw").statusCode(404);
    }

    @Test
    void latestShowsOnlyMetricsInScopeWhoseTimeLiesInTheWindow() throws Exception {
        TestOwner owner = ownerWithReadings();
        writeReading(owner, "body_temperature", BASE.plus(150, ChronoUnit.MINUTES), 36.6);
        String carer = caregiver();
        String open = delegate(owner, carer, body("Sam", null, List.of("heart_rate"), "raw", null));
        given().auth().oauth2(carer).get("/caregivers/me/delegations/" + open + "/latest").then().statusCode(200)
                .body("metric", equalTo(List.of("heart_rate"))).body("value", equalTo(List.of(74.0f)));
        // The latest heart rate (3 h 30) lies after the window: nothing to show.
        String windowed = delegate(owner, carer, body("Sam", null, List.of("heart_rate"), "raw", window()));
        given().auth().oauth2(carer).get("/caregivers/me/delegations/" + windowed + "/latest").then().statusCode(200)
                .body("size()", equalTo(0));
    }

    @Test
    void aCoarseDelegationShowsTheLatestBucketNotTheLatestReading() throws Exception {
        TestOwner owner = ownerWithReadings();
        String carer = caregiver();
        String id = delegate(owner, carer, body("Sam", null, List.of("heart_rate"), "hour", null));
        given().auth().oauth2(carer).get("/caregivers/me/delegations/" + id + "/latest").then().statusCode(200)
                .body("[0].time", equalTo(BASE.plus(3, ChronoUnit.HOURS).toString())).body("[0].device", equalTo(null));
    }

    // ---- scope: metric, resolution, window ------------------------------------------------------

    @Test
    void aMetricOutsideTheScopeIsRefused() throws Exception {
        TestOwner owner = ownerWithReadings();
        String carer = caregiver();
        String id = delegate(owner, carer, body("Sam", null, List.of("heart_rate"), "raw", null));
        read(carer, id, "body_temperature", BASE, BASE.plus(4, ChronoUnit.HOURS), "raw").statusCode(403)
                .contentType("application/problem+json").body("type", endsWith("/outside-delegation"));
    }

    @Test
    void aResolutionFinerThanAllowedIsRefusedAndCoarserOnesAreRead() throws Exception {
        TestOwner owner = ownerWithReadings();
        String carer = caregiver();
        String id = delegate(owner, carer, body("Sam", null, List.of("heart_rate"), "hour", null));
        for (String finer : List.of("raw", "minute")) {
            read(carer, id, "heart_rate", BASE, BASE.plus(4, ChronoUnit.HOURS), finer).statusCode(403)
                    .body("type", endsWith("/outside-delegation"));
        }
        read(carer, id, "heart_rate", BASE, BASE.plus(4, ChronoUnit.HOURS), "hour").statusCode(200)
                .body("resolution", equalTo("hour")).body("count", equalTo(4));
        read(carer, id, "heart_rate", BASE, BASE.plus(4, ChronoUnit.HOURS), "day").statusCode(200);
        // No resolution asked: the finest allowed.
        given().auth().oauth2(carer).queryParam("metric", "heart_rate").queryParam("from", BASE.toString())
                .queryParam("until", BASE.plus(4, ChronoUnit.HOURS).toString())
                .get("/caregivers/me/delegations/" + id + "/readings").then().statusCode(200)
                .body("resolution", equalTo("hour"));
    }

    @Test
    void aRangeOutsideTheWindowIsRefused() throws Exception {
        TestOwner owner = ownerWithReadings();
        String carer = caregiver();
        String id = delegate(owner, carer, body("Sam", null, List.of("heart_rate"), "raw", window()));
        read(carer, id, "heart_rate", WINDOW_UNTIL, WINDOW_UNTIL.plus(2, ChronoUnit.HOURS), "raw").statusCode(403)
                .body("type", endsWith("/outside-delegation"));
        read(carer, id, "heart_rate", BASE, WINDOW_FROM, "raw").statusCode(403);
    }

    @Test
    void aRangePartlyOutsideTheWindowIsClippedAndSaysWhatWasRead() throws Exception {
        TestOwner owner = ownerWithReadings();
        String carer = caregiver();
        String id = delegate(owner, carer, body("Sam", null, List.of("heart_rate"), "raw", window()));
        read(carer, id, "heart_rate", BASE, BASE.plus(4, ChronoUnit.HOURS), "raw").statusCode(200)
                .body("from", equalTo(WINDOW_FROM.toString())).body("until", equalTo(WINDOW_UNTIL.toString()))
                .body("count", equalTo(2));
        // Hour buckets where the window cuts an hour are left out, not widened over it.
        Instant from = WINDOW_FROM.plus(30, ChronoUnit.MINUTES);
        String half = delegate(owner, carer, body("Sam", null, List.of("heart_rate"), "hour",
                ConsentFixtures.window(from, WINDOW_UNTIL)));
        read(carer, half, "heart_rate", BASE, BASE.plus(4, ChronoUnit.HOURS), "hour").statusCode(200)
                .body("from", equalTo(WINDOW_FROM.plus(1, ChronoUnit.HOURS).toString()))
                .body("buckets.start", equalTo(List.of(WINDOW_FROM.plus(1, ChronoUnit.HOURS).toString())));
    }

    // ---- revoked, expired, unknown, another's ---------------------------------------------------

    @Test
    void aRevokedDelegationIsRefusedAtTheVeryNextRequest() throws Exception {
        TestOwner owner = ownerWithReadings();
        String carer = caregiver();
        String id = delegate(owner, carer, body("Sam", null, List.of("heart_rate"), "raw", null));
        read(carer, id, "heart_rate", BASE, BASE.plus(4, ChronoUnit.HOURS), "raw").statusCode(200);

        given().auth().oauth2(owner.token()).delete("/owners/" + owner.id() + "/delegations/" + id).then()
                .statusCode(200).body("status", equalTo("revoked"));

        read(carer, id, "heart_rate", BASE, BASE.plus(4, ChronoUnit.HOURS), "raw").statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(carer).get("/caregivers/me/delegations/" + id + "/latest").then().statusCode(404);
        given().auth().oauth2(carer).get("/caregivers/me/delegations").then().statusCode(200).body("size()", equalTo(0));
        get(owner, id).statusCode(200).body("status", equalTo("revoked"));
    }

    @Test
    void anExpiredDelegationIsRefused() throws Exception {
        TestOwner owner = ownerWithReadings();
        String carer = caregiver();
        String id = delegate(owner, carer, body("Sam", null, List.of("heart_rate"), "raw", null));
        read(carer, id, "heart_rate", BASE, BASE.plus(4, ChronoUnit.HOURS), "raw").statusCode(200);
        expire(id);
        read(carer, id, "heart_rate", BASE, BASE.plus(4, ChronoUnit.HOURS), "raw").statusCode(404);
        given().auth().oauth2(carer).get("/caregivers/me/delegations/" + id + "/latest").then().statusCode(404);
        get(owner, id).statusCode(200).body("status", equalTo("expired"));
    }

    @Test
    void anotherCaregiversDelegationIsRefusedExactlyLikeAnUnknownOne() throws Exception {
        TestOwner owner = ownerWithReadings();
        String sam = caregiver();
        String id = delegate(owner, sam, body("Sam", null, List.of("heart_rate"), "raw", null));
        String eve = caregiver();
        String unknown = UUID.randomUUID().toString();
        for (String path : List.of("/latest", "/readings?metric=heart_rate")) {
            String theirs = given().auth().oauth2(eve).get("/caregivers/me/delegations/" + id + path).then()
                    .statusCode(404).contentType("application/problem+json").extract().asString();
            String none = given().auth().oauth2(eve).get("/caregivers/me/delegations/" + unknown + path).then()
                    .statusCode(404).extract().asString();
            assertEquals(none.replace(unknown, "ID"), theirs.replace(id, "ID"));
        }
        // Revoked and expired ones too.
        String revoked = delegate(owner, sam, body("Sam", null, List.of("heart_rate"), "raw", null));
        given().auth().oauth2(owner.token()).delete("/owners/" + owner.id() + "/delegations/" + revoked).then().statusCode(200);
        String expired = delegate(owner, sam, body("Sam", null, List.of("heart_rate"), "raw", null));
        expire(expired);
        String none = given().auth().oauth2(sam).get("/caregivers/me/delegations/" + unknown + "/latest").then()
                .statusCode(404).extract().asString().replace(unknown, "ID");
        for (String gone : List.of(revoked, expired)) {
            assertEquals(none, given().auth().oauth2(sam).get("/caregivers/me/delegations/" + gone + "/latest").then()
                    .statusCode(404).extract().asString().replace(gone, "ID"));
        }
    }

    @Test
    void anotherOwnersDelegationIsNotFoundLikeAnUnknownOne() throws Exception {
        TestOwner alice = ConsentFixtures.newOwner();
        TestOwner bob = ConsentFixtures.newOwner();
        String id = invite(alice, body("Sam", null, List.of("heart_rate"), "raw", null)).statusCode(201).extract().path("id");
        String unknown = UUID.randomUUID().toString();
        String theirs = get(bob, id).statusCode(404).contentType("application/problem+json").extract().asString();
        String none = get(bob, unknown).statusCode(404).extract().asString();
        assertEquals(none.replace(unknown, "ID"), theirs.replace(id, "ID"));
        given().auth().oauth2(bob.token()).delete("/owners/" + bob.id() + "/delegations/" + id).then().statusCode(404);
        // Alice's own path with Bob's token: Alice does not exist for Bob.
        given().auth().oauth2(bob.token()).get("/owners/" + alice.id() + "/delegations").then().statusCode(404);
        given().auth().oauth2(bob.token()).delete("/owners/" + alice.id() + "/delegations/" + id).then().statusCode(404);
        get(alice, id).statusCode(200).body("status", equalTo("invited"));
    }

    @Test
    void wrongRolesAreRefused() throws Exception {
        TestOwner owner = ownerWithReadings();
        String carer = caregiver();
        String id = delegate(owner, carer, body("Sam", null, List.of("heart_rate"), "raw", null));
        for (String token : List.of(owner.token(), Tokens.tokenFor("lab-" + UUID.randomUUID(), "researcher"),
                Tokens.tokenFor("er-" + UUID.randomUUID(), "clinician"), Tokens.tokenFor("ops", "operator"))) {
            given().auth().oauth2(token).get("/caregivers/me/delegations").then().statusCode(403)
                    .contentType("application/problem+json");
            given().auth().oauth2(token).get("/caregivers/me/delegations/" + id + "/latest").then().statusCode(403);
            given().auth().oauth2(token).queryParam("metric", "heart_rate")
                    .get("/caregivers/me/delegations/" + id + "/readings").then().statusCode(403);
            given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("code", "0000-0000-0000-0000"))
                    .post("/caregivers/me/invites").then().statusCode(403);
        }
        given().auth().oauth2(carer).get("/owners/" + owner.id() + "/delegations").then().statusCode(403);
        given().auth().oauth2(carer).get("/owners/" + owner.id() + "/delegations/" + id).then().statusCode(403);
        given().auth().oauth2(carer).delete("/owners/" + owner.id() + "/delegations/" + id).then().statusCode(403);
        given().auth().oauth2(carer).contentType(ContentType.JSON).body(body("Me", null, List.of("heart_rate"), "raw", null))
                .post("/owners/" + owner.id() + "/delegations").then().statusCode(403);
        given().auth().oauth2(carer).get("/owners/" + owner.id() + "/readings/latest").then().statusCode(403);
        given().get("/caregivers/me/delegations").then().statusCode(401);
        read(carer, id, "heart_rate", BASE, BASE.plus(4, ChronoUnit.HOURS), "raw").statusCode(200);
    }

    // ---- invite codes ---------------------------------------------------------------------------

    @Test
    void anInviteCodeWorksOnce() {
        TestOwner owner = ConsentFixtures.newOwner();
        String code = invite(owner, body("Sam", null, List.of("heart_rate"), "raw", null)).statusCode(201)
                .extract().path("inviteCode");
        String sam = caregiver();
        accept(sam, code).statusCode(200);
        accept(sam, code).statusCode(404);
        accept(caregiver(), code).statusCode(404).contentType("application/problem+json");
    }

    @Test
    void aWrongRevokedOrExpiredCodeIsRefusedExactlyLikeAUsedOne() throws Exception {
        TestOwner owner = ConsentFixtures.newOwner();
        JsonPath used = invite(owner, body("Sam", null, List.of("heart_rate"), "raw", null)).statusCode(201).extract().jsonPath();
        accept(caregiver(), used.getString("inviteCode")).statusCode(200);
        JsonPath revoked = invite(owner, body("Sam", null, List.of("heart_rate"), "raw", null)).statusCode(201).extract().jsonPath();
        given().auth().oauth2(owner.token()).delete("/owners/" + owner.id() + "/delegations/" + revoked.getString("id"))
                .then().statusCode(200);
        JsonPath expired = invite(owner, body("Sam", null, List.of("heart_rate"), "raw", null)).statusCode(201).extract().jsonPath();
        expire(expired.getString("id"));

        String carer = caregiver();
        String reference = accept(carer, used.getString("inviteCode")).statusCode(404).extract().asString();
        for (String code : List.of(revoked.getString("inviteCode"), expired.getString("inviteCode"), InviteCodes.generate(), "")) {
            assertEquals(reference, accept(carer, code).statusCode(404).extract().asString());
        }
        get(owner, expired.getString("id")).body("status", equalTo("expired"));
    }

    @Test
    void guessingInviteCodesIsCutOffAfterTenFailuresAnHour() {
        TestOwner owner = ConsentFixtures.newOwner();
        String code = invite(owner, body("Sam", null, List.of("heart_rate"), "raw", null)).statusCode(201)
                .extract().path("inviteCode");
        String mallory = caregiver();
        for (int i = 0; i < 10; i++) {
            accept(mallory, InviteCodes.generate()).statusCode(404);
        }
        // The eleventh is refused whatever it is, the right code too: success cannot be told apart.
        accept(mallory, code).statusCode(429).contentType("application/problem+json")
                .header("Retry-After", notNullValue()).body("type", endsWith("/too-many-invite-attempts"));
        accept(mallory, InviteCodes.generate()).statusCode(429);
        // The bound is per caregiver: the invited one still gets in with the code.
        accept(caregiver(), code).statusCode(200);
    }

    @Test
    void failuresOlderThanAnHourNoLongerCount() throws Exception {
        TestOwner owner = ConsentFixtures.newOwner();
        String code = invite(owner, body("Sam", null, List.of("heart_rate"), "raw", null)).statusCode(201)
                .extract().path("inviteCode");
        String subject = "carer-" + UUID.randomUUID();
        String carer = Tokens.tokenFor(subject, "caregiver");
        for (int i = 0; i < 10; i++) {
            accept(carer, InviteCodes.generate()).statusCode(404);
        }
        accept(carer, code).statusCode(429);
        sql("update care_invite_failure set failed_at = failed_at - interval '61 minutes'");
        accept(carer, code).statusCode(200);
    }

    // ---- what the owner sees --------------------------------------------------------------------

    @Test
    void everyCaregiverReadIsInTheOwnersAccessList() throws Exception {
        TestOwner owner = ownerWithReadings();
        String carer = caregiver();
        String id = delegate(owner, carer, body("Sam (nurse)", null, List.of("heart_rate"), "raw", window()));
        read(carer, id, "heart_rate", BASE, BASE.plus(4, ChronoUnit.HOURS), "raw").statusCode(200);
        given().auth().oauth2(carer).get("/caregivers/me/delegations/" + id + "/latest").then().statusCode(200);
        // A refused read is no access.
        read(carer, id, "heart_rate", BASE, BASE.plus(4, ChronoUnit.HOURS), "minute").statusCode(200);
        read(carer, id, "body_temperature", BASE, BASE.plus(4, ChronoUnit.HOURS), "raw").statusCode(403);

        JsonPath list = given().auth().oauth2(owner.token()).get("/owners/" + owner.id() + "/accesses").then()
                .statusCode(200).extract().jsonPath();
        assertEquals(List.of("caregiver", "caregiver", "caregiver"), list.getList("kind"));
        assertEquals(List.of(id, id, id), list.getList("grantId"));
        assertEquals(List.of("Sam (nurse)", "Sam (nurse)", "Sam (nurse)"), list.getList("accessor"));
        assertEquals(List.of("raw", "latest", "minute"), list.getList("resolution"));
        assertEquals(WINDOW_FROM.toString(), list.getString("[0].dataWindow.from"));
        assertEquals(WINDOW_UNTIL.toString(), list.getString("[0].dataWindow.until"));
    }

    @Test
    void theOwnerIsToldOfReadsAtMostOnceAnHourPerDelegation() throws Exception {
        TestOwner owner = ownerWithReadings();
        String carer = caregiver();
        String id = delegate(owner, carer, body("Sam", null, List.of("heart_rate"), "raw", null));
        for (int i = 0; i < 3; i++) {
            read(carer, id, "heart_rate", BASE, BASE.plus(4, ChronoUnit.HOURS), "raw").statusCode(200);
        }
        assertEquals(1, notices(owner, "CAREGIVER_READ"));
        sql("update care_delegation set read_noticed_at = read_noticed_at - interval '61 minutes' where delegation_id = '"
                + id + "'");
        read(carer, id, "heart_rate", BASE, BASE.plus(4, ChronoUnit.HOURS), "raw").statusCode(200);
        read(carer, id, "heart_rate", BASE, BASE.plus(4, ChronoUnit.HOURS), "raw").statusCode(200);
        assertEquals(2, notices(owner, "CAREGIVER_READ"));
    }

    @Test
    void acceptanceAndRevocationAreToldToTheOwner() throws Exception {
        TestOwner owner = ConsentFixtures.newOwner();
        String id = delegate(owner, caregiver(), body("Sam", null, List.of("heart_rate"), "raw", null));
        assertEquals(1, notices(owner, "CAREGIVER_CHANGE"));
        given().auth().oauth2(owner.token()).delete("/owners/" + owner.id() + "/delegations/" + id).then().statusCode(200);
        given().auth().oauth2(owner.token()).delete("/owners/" + owner.id() + "/delegations/" + id).then().statusCode(200)
                .body("status", equalTo("revoked"));
        assertEquals(2, notices(owner, "CAREGIVER_CHANGE"));
    }

    @Test
    void theOwnerListsEveryDelegationWithoutCodes() {
        TestOwner owner = ConsentFixtures.newOwner();
        invite(owner, body("Sam", null, List.of("heart_rate"), "raw", null)).statusCode(201);
        invite(owner, body("Kim", "kim-" + UUID.randomUUID(), List.of("heart_rate"), "day", window())).statusCode(201);
        given().auth().oauth2(owner.token()).get("/owners/" + owner.id() + "/delegations").then().statusCode(200)
                .body("label", equalTo(List.of("Sam", "Kim"))).body("status", equalTo(List.of("invited", "active")))
                .body("[0]", not(hasKey("inviteCode"))).body("[1].window.from", equalTo(WINDOW_FROM.toString()));
    }

    @Test
    void aDelegationMustEndAndNameKnownMetricsAndAResolution() {
        TestOwner owner = ConsentFixtures.newOwner();
        Map<String, Object> b = body("", null, List.of("heart_rate", "no_such_metric"), "second", null);
        b.remove("expiresAt");
        JsonPath p = invite(owner, b).statusCode(400).extract().jsonPath();
        assertEquals(List.of("label", "metrics", "finestResolution", "expiresAt"), p.getList("errors.field"));
        Map<String, Object> tooLong = body("Sam", null, List.of("heart_rate"), "raw", null);
        tooLong.put("expiresAt", Instant.now().plus(Duration.ofDays(400)).toString());
        invite(owner, tooLong).statusCode(400).body("errors.field", equalTo(List.of("expiresAt")));
        Map<String, Object> past = body("Sam", null, List.of("heart_rate"), "raw", null);
        past.put("expiresAt", Instant.now().minusSeconds(60).toString());
        invite(owner, past).statusCode(400).body("errors.field", equalTo(List.of("expiresAt")));
        invite(owner, body("Sam", null, List.of("heart_rate"), "raw", ConsentFixtures.window(WINDOW_UNTIL, WINDOW_FROM)))
                .statusCode(400).body("errors.field", equalTo(List.of("window.until")));
    }

    // ---- at rest, and after erasure -------------------------------------------------------------

    @Test
    void aDumpShowsNoLabelSubjectNorCode() throws Exception {
        TestOwner owner = ownerWithReadings();
        String label = "Samantha Quill-Nurse";
        String sharedAs = "Granny Weatherwax";
        String subject = "samantha.quill@example.org";
        Map<String, Object> b = body(label, null, List.of("heart_rate"), "raw", null);
        b.put("sharedAs", sharedAs);
        String code = invite(owner, b).statusCode(201).extract().path("inviteCode");
        String carer = Tokens.tokenFor(subject, "caregiver");
        accept(carer, InviteCodes.generate()).statusCode(404);   // a failure on record too
        String id = accept(carer, code).statusCode(200).extract().path("id");
        read(carer, id, "heart_rate", BASE, BASE.plus(4, ChronoUnit.HOURS), "raw").statusCode(200);
        Map<String, Object> named = body(label, subject, List.of("heart_rate"), "raw", null);
        named.put("sharedAs", sharedAs);
        invite(owner, named).statusCode(201);

        String dump = dump("care_delegation", "care_invite_failure", "personal_access", "owner_notification");
        assertTrue(dump.contains(id), "the dump holds the delegation");
        for (String secret : List.of(label, sharedAs, subject, code, InviteCodes.normalize(code), "Samantha", "Granny",
                "samantha")) {
            assertFalse(dump.contains(secret), "a dump shows " + secret);
        }
        // The owner and the caregiver still see the names.
        get(owner, id).body("label", equalTo(label)).body("sharedAs", equalTo(sharedAs));
        given().auth().oauth2(carer).get("/caregivers/me/delegations").then().body("[0].sharedAs", equalTo(sharedAs));
    }

    @Test
    void anErasedOwnersDelegationsVanish() throws Exception {
        TestOwner owner = ownerWithReadings();
        String carer = caregiver();
        String id = delegate(owner, carer, body("Sam", null, List.of("heart_rate"), "raw", null));
        read(carer, id, "heart_rate", BASE, BASE.plus(4, ChronoUnit.HOURS), "raw").statusCode(200);
        given().auth().oauth2(owner.token()).contentType(ContentType.JSON)
                .body(Map.of("confirmOwnerId", owner.id().toString())).delete("/owners/" + owner.id()).then().statusCode(200);
        read(carer, id, "heart_rate", BASE, BASE.plus(4, ChronoUnit.HOURS), "raw").statusCode(404);
        given().auth().oauth2(carer).get("/caregivers/me/delegations").then().statusCode(200).body("size()", equalTo(0));
        assertEquals(0, count("select count(*) from care_delegation where owner_id = '" + owner.id() + "'"));
    }

    // ---- helpers --------------------------------------------------------------------------------

    /** An owner with heart rate 71, 72, 73, 74 at BASE + 30 min, 1 h 30, 2 h 30, 3 h 30. */
    private TestOwner ownerWithReadings() throws SQLException {
        TestOwner owner = ConsentFixtures.newOwner();
        for (int h = 0; h < 4; h++) {
            writeReading(owner, "heart_rate", BASE.plus(h * 60L + 30, ChronoUnit.MINUTES), 71 + h);
        }
        return owner;
    }

    private void writeReading(TestOwner owner, String metric, Instant at, double value) throws SQLException {
        long t = at.toEpochMilli();
        GatewayWrites.writeSealed(dataSource, owner.id(), metric, at.truncatedTo(ChronoUnit.HOURS),
                List.of(new Reading(UUID.randomUUID(), t, t + 5, value)));
    }

    private static Map<String, Object> window() {
        return ConsentFixtures.window(WINDOW_FROM, WINDOW_UNTIL);
    }

    private static Map<String, Object> body(String label, String subject, List<String> metrics, String resolution,
                                            Map<String, Object> window) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("label", label);
        b.put("caregiverSubject", subject);
        b.put("sharedAs", "Grandma");
        b.put("metrics", metrics);
        b.put("finestResolution", resolution);
        b.put("window", window);
        b.put("expiresAt", Instant.now().plus(Duration.ofDays(30)).truncatedTo(ChronoUnit.SECONDS).toString());
        return b;
    }

    private static ValidatableResponse invite(TestOwner owner, Map<String, Object> body) {
        return given().auth().oauth2(owner.token()).contentType(ContentType.JSON).body(body)
                .post("/owners/" + owner.id() + "/delegations").then();
    }

    private static ValidatableResponse get(TestOwner owner, String id) {
        return given().auth().oauth2(owner.token()).get("/owners/" + owner.id() + "/delegations/" + id).then();
    }

    private static String caregiver() {
        return Tokens.tokenFor("carer-" + UUID.randomUUID(), "caregiver");
    }

    private static ValidatableResponse accept(String caregiver, String code) {
        return given().auth().oauth2(caregiver).contentType(ContentType.JSON).body(Map.of("code", code))
                .post("/caregivers/me/invites").then();
    }

    /** Invites by code and has {@code caregiver} accept it: the delegation's id. */
    private static String delegate(TestOwner owner, String caregiver, Map<String, Object> body) {
        String code = invite(owner, body).statusCode(201).extract().path("inviteCode");
        return accept(caregiver, code).statusCode(200).extract().path("id");
    }

    private static ValidatableResponse read(String caregiver, String id, String metric, Instant from, Instant until,
                                            String resolution) {
        return given().auth().oauth2(caregiver).queryParam("metric", metric).queryParam("from", from.toString())
                .queryParam("until", until.toString()).queryParam("resolution", resolution)
                .get("/caregivers/me/delegations/" + id + "/readings").then();
    }

    /** Expiry without waiting: the delegation's end moved a second into the past. */
    private void expire(String id) throws SQLException {
        sql("update care_delegation set expires_at = now() - interval '1 second' where delegation_id = '" + id + "'");
    }

    private int notices(TestOwner owner, String kind) throws SQLException {
        return count("select count(*) from owner_notification where owner_id = '" + owner.id() + "' and kind = '" + kind + "'");
    }

    private void sql(String statement) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(statement)) {
            ps.executeUpdate();
        }
    }

    private int count(String query) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(query);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Every row of the tables as pg_dump would print it, and every byte column read as UTF-8 too. */
    private String dump(String... tables) throws SQLException {
        StringBuilder out = new StringBuilder();
        try (Connection c = dataSource.getConnection()) {
            for (String t : tables) {
                try (PreparedStatement ps = c.prepareStatement("select * from " + t); ResultSet rs = ps.executeQuery()) {
                    int n = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int i = 1; i <= n; i++) {
                            out.append(rs.getString(i)).append('\t');
                            if (rs.getObject(i) instanceof byte[] bytes) {
                                out.append(new String(bytes, StandardCharsets.UTF_8)).append('\t');
                            }
                        }
                        out.append('\n');
                    }
                }
            }
        }
        return out.toString();
    }
}
