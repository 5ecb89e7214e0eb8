package org.vitalvault.vault.readings;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.vitalvault.vault.support.ConsentFixtures;
import org.vitalvault.vault.support.ConsentFixtures.TestOwner;
import org.vitalvault.vault.support.Tokens;

/**
 * Red team (issue 16): instants at the ends of what {@code Instant.parse} accepts. The vault's time
 * arithmetic (a default {@code from} 24 h before {@code until}, rounding up to whole minutes and
 * hours) overflowed on them and answered 500; every such request is invalid input, 400, naming the
 * field, on every read path that takes a time: the owner's, a caregiver's, an emergency episode's,
 * and a device's rejections.
 */
@QuarkusTest
class ExtremeInstantsTest {

    static final String EARLIEST_JAVA = "-1000000000-01-01T00:00:00Z";
    static final String LATEST_JAVA = "+1000000000-12-31T23:59:59.999999999Z";

    @Test
    void anOwnersReadWithAnInstantBeyondTheCalendarIsInvalidInput() {
        TestOwner owner = ConsentFixtures.newOwner();
        for (String resolution : List.of("raw", "minute", "hour", "day")) {
            refused(given().auth().oauth2(owner.token()).queryParam("metric", "heart_rate")
                    .queryParam("resolution", resolution).queryParam("until", EARLIEST_JAVA)
                    .get("/owners/" + owner.id() + "/readings"), "until");
        }
    }

    @Test
    void aCaregiversReadWithAnInstantBeyondTheCalendarIsInvalidInputNotAnInternalError() {
        TestOwner owner = ConsentFixtures.newOwner();
        String carer = Tokens.tokenFor("carer-" + UUID.randomUUID(), "caregiver");
        String id = delegate(owner, carer);
        for (String resolution : List.of("raw", "minute", "hour", "day")) {
            refused(given().auth().oauth2(carer).queryParam("metric", "heart_rate").queryParam("resolution", resolution)
                    .queryParam("until", EARLIEST_JAVA).get("/caregivers/me/delegations/" + id + "/readings"), "until");
            refused(given().auth().oauth2(carer).queryParam("metric", "heart_rate").queryParam("resolution", resolution)
                    .queryParam("from", LATEST_JAVA).get("/caregivers/me/delegations/" + id + "/readings"), "from");
        }
    }

    @Test
    void anEmergencyReadWithAnInstantBeyondTheCalendarIsInvalidInputNotAnInternalError() {
        TestOwner owner = ConsentFixtures.newOwner();
        String code = given().auth().oauth2(owner.token()).contentType(ContentType.JSON).body(Map.of("enabled", true))
                .put("/owners/" + owner.id() + "/emergency-access").then().statusCode(200).extract().path("emergencyCode");
        String clinician = Tokens.tokenFor("doc-" + UUID.randomUUID(), "clinician");
        String episode = given().auth().oauth2(clinician).contentType(ContentType.JSON)
                .body(Map.of("emergencyCode", code, "reason", "unconscious in ER, checking arrhythmia"))
                .post("/emergency/episodes").then().statusCode(201).extract().path("id");
        for (String resolution : List.of("raw", "minute", "hour")) {
            refused(given().auth().oauth2(clinician).queryParam("metric", "heart_rate").queryParam("resolution", resolution)
                    .queryParam("from", LATEST_JAVA).get("/emergency/episodes/" + episode + "/readings"), "from");
        }
    }

    @Test
    void rejectionsSinceAnInstantBeyondTheCalendarAreInvalidInput() {
        TestOwner owner = ConsentFixtures.newOwner();
        String device = given().auth().oauth2(owner.token()).contentType(ContentType.JSON).body(Map.of("name", "Band"))
                .post("/owners/" + owner.id() + "/devices").then().statusCode(201).extract().path("id");
        refused(given().auth().oauth2(owner.token()).queryParam("since", LATEST_JAVA)
                .get("/owners/" + owner.id() + "/devices/" + device + "/rejections"), "since");
    }

    @Test
    void theBoundsThemselvesAreReadNotAnInternalError() {
        TestOwner owner = ConsentFixtures.newOwner();
        String carer = Tokens.tokenFor("carer-" + UUID.randomUUID(), "caregiver");
        String id = delegate(owner, carer);
        for (String resolution : List.of("raw", "minute", "hour", "day")) {
            given().auth().oauth2(owner.token()).queryParam("metric", "heart_rate").queryParam("resolution", resolution)
                    .queryParam("until", "1900-01-01T00:00:00Z").get("/owners/" + owner.id() + "/readings")
                    .then().statusCode(200).body("count", equalTo(0));
            given().auth().oauth2(owner.token()).queryParam("metric", "heart_rate").queryParam("resolution", resolution)
                    .queryParam("from", "9999-12-30T00:00:00Z").queryParam("until", "9999-12-31T00:00:00Z")
                    .get("/owners/" + owner.id() + "/readings").then().statusCode(200).body("count", equalTo(0));
            given().auth().oauth2(carer).queryParam("metric", "heart_rate").queryParam("resolution", resolution)
                    .queryParam("until", "1900-01-01T00:00:00Z").get("/caregivers/me/delegations/" + id + "/readings")
                    .then().statusCode(200).body("count", equalTo(0));
            given().auth().oauth2(carer).queryParam("metric", "heart_rate").queryParam("resolution", resolution)
                    .queryParam("from", "9999-12-30T00:00:00Z").queryParam("until", "9999-12-31T00:00:00Z")
                    .get("/caregivers/me/delegations/" + id + "/readings").then().statusCode(200).body("count", equalTo(0));
        }
    }

    @Test
    void aDelegationWindowBeyondTheCalendarIsInvalidInput() {
        TestOwner owner = ConsentFixtures.newOwner();
        for (Map<String, Object> window : List.of(Map.<String, Object>of("from", EARLIEST_JAVA),
                Map.<String, Object>of("from", "2026-01-01T00:00:00Z", "until", LATEST_JAVA))) {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("label", "Sam");
            b.put("metrics", List.of("heart_rate"));
            b.put("finestResolution", "raw");
            b.put("window", window);
            b.put("expiresAt", Instant.now().plus(Duration.ofDays(30)).truncatedTo(ChronoUnit.SECONDS).toString());
            given().auth().oauth2(owner.token()).contentType(ContentType.JSON).body(b)
                    .post("/owners/" + owner.id() + "/delegations").then().statusCode(400)
                    .body("type", endsWith("/invalid-input"));
        }
    }

    private static void refused(io.restassured.response.Response response, String field) {
        response.then().statusCode(400).body("type", endsWith("/invalid-input")).body("errors[0].field", equalTo(field));
    }

    private static String delegate(TestOwner owner, String carer) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("label", "Sam");
        b.put("metrics", List.of("heart_rate"));
        b.put("finestResolution", "raw");
        b.put("expiresAt", Instant.now().plus(Duration.ofDays(30)).truncatedTo(ChronoUnit.SECONDS).toString());
        String code = given().auth().oauth2(owner.token()).contentType(ContentType.JSON).body(b)
                .post("/owners/" + owner.id() + "/delegations").then().statusCode(201).extract().path("inviteCode");
        return given().auth().oauth2(carer).contentType(ContentType.JSON).body(Map.of("code", code))
                .post("/caregivers/me/invites").then().statusCode(200).extract().path("id");
    }
}
