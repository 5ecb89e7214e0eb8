package org.vitalvault.vault.emergency;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.vitalvault.reading.Reading;
import org.vitalvault.vault.support.AuditChains;
import org.vitalvault.vault.support.FailAtCommit;
import org.vitalvault.vault.support.GatewayWrites;
import org.vitalvault.vault.support.Tokens;

/**
 * Break-glass in the owner's chain of the transparency log (issue 17): enabling, opening, every read,
 * ending and disabling are each exactly one entry committed with the event (disabling also ends open
 * episodes: one ENDED each); an event whose transaction fails at commit leaves none. No entry holds
 * the emergency code, a token or the clinician's subject, nor a health value; the stated reason is
 * in the opening entry (sealed to the owner, who sees it anyway).
 */
@QuarkusTest
class EmergencyAuditTest {

    private static final String REASON = "collapsed at the station, checking rhythm";
    private static final double VALUE = 58.375;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    AuditChains chains;

    record Owner(String token, UUID id) {
        String path(String rest) {
            return "/owners/" + id + rest;
        }
    }

    @Test
    void enablingOpeningReadingEndingAndDisablingEachAppendExactlyOneEntry() throws Exception {
        Owner owner = ownerWithReading();
        String code = enable(owner).statusCode(200).extract().path("emergencyCode");
        String clinicianSubject = "clinician-" + UUID.randomUUID();
        String clinician = Tokens.tokenFor(clinicianSubject, "clinician");
        String episode = open(clinician, code).statusCode(201).extract().path("id");
        given().auth().oauth2(clinician).get("/emergency/episodes/" + episode + "/latest").then().statusCode(200);
        given().auth().oauth2(clinician).queryParam("metric", "heart_rate")
                .get("/emergency/episodes/" + episode + "/readings").then().statusCode(200);
        given().auth().oauth2(owner.token()).post(owner.path("/emergency-episodes/" + episode + "/end")).then().statusCode(200);
        given().auth().oauth2(owner.token()).post(owner.path("/emergency-episodes/" + episode + "/end")).then().statusCode(200);

        String code2 = enable(owner).statusCode(200).extract().path("emergencyCode");
        String second = open(clinician, code2).statusCode(201).extract().path("id");
        disable(owner).statusCode(200);
        disable(owner).statusCode(200);

        List<JsonNode> chain = chains.verified(owner.id());
        assertEquals(List.of("EMERGENCY_ENABLED", "EMERGENCY_OPENED", "EMERGENCY_READ", "EMERGENCY_READ", "EMERGENCY_ENDED",
                "EMERGENCY_ENABLED", "EMERGENCY_OPENED", "EMERGENCY_ENDED", "EMERGENCY_DISABLED"), kinds(chain),
                "ending an ended episode and disabling what is off change nothing and log nothing");
        assertFalse(chain.get(0).get("details").get("replacedEarlierCode").asBoolean());
        JsonNode opened = chain.get(1).get("details");
        assertEquals(episode, opened.get("episodeId").asText());
        assertEquals(REASON, opened.get("reason").asText());
        assertTrue(Instant.parse(opened.get("expiresAt").asText()).isAfter(Instant.parse(chain.get(1).get("at").asText())));
        JsonNode latest = chain.get(2).get("details");
        assertEquals(episode, latest.get("episodeId").asText());
        assertTrue(latest.get("metric").isNull());
        assertEquals("latest", latest.get("resolution").asText());
        JsonNode series = chain.get(3).get("details");
        assertEquals("heart_rate", series.get("metric").asText());
        assertFalse(series.get("dataRange").get("from").isNull());
        assertEquals("owner", chain.get(4).get("details").get("endedBy").asText());
        assertTrue(chain.get(5).get("details").get("replacedEarlierCode").asBoolean(),
                "enabling while enabled replaces the earlier code");
        assertEquals(second, chain.get(7).get("details").get("episodeId").asText());
        assertEquals("disabled", chain.get(7).get("details").get("endedBy").asText());
        assertEquals(1, chain.get(8).get("details").get("episodesEnded").asInt());

        chains.assertNoneContains(owner.id(), code, code2, code.replace("-", ""), clinician, clinicianSubject,
                owner.token(), String.valueOf(VALUE));
    }

    @Test
    void enablingAfterDisablingReplacesNoCode() {
        Owner owner = owner();
        enable(owner).statusCode(200);
        disable(owner).statusCode(200);
        enable(owner).statusCode(200);
        List<JsonNode> chain = chains.verified(owner.id());
        assertEquals(List.of("EMERGENCY_ENABLED", "EMERGENCY_DISABLED", "EMERGENCY_ENABLED"), kinds(chain));
        assertEquals(0, chain.get(1).get("details").get("episodesEnded").asInt());
        assertFalse(chain.get(2).get("details").get("replacedEarlierCode").asBoolean(), "the disabled code is gone already");
    }

    @Test
    void anOpeningWhoseCommitFailsLeavesNoEpisodeAndNoEntry() {
        Owner owner = owner();
        String code = enable(owner).statusCode(200).extract().path("emergencyCode");
        String clinician = Tokens.tokenFor("clinician-" + UUID.randomUUID(), "clinician");
        long mark = chains.mark();
        try (FailAtCommit failing = FailAtCommit.forOwnerEntry(dataSource, owner.id())) {
            open(clinician, code).statusCode(500);
        }
        assertEquals(0, chains.since(mark));
        assertEquals(List.of("EMERGENCY_ENABLED"), kinds(chains.verified(owner.id())));
        given().auth().oauth2(owner.token()).get(owner.path("/emergency-episodes")).then().statusCode(200)
                .body("size()", equalTo(0));
    }

    @Test
    void enablingDisablingReadingOrEndingWhoseCommitFailsLeavesNoEntryAndNoEffect() throws Exception {
        Owner owner = ownerWithReading();
        long mark = chains.mark();
        try (FailAtCommit failing = FailAtCommit.forOwnerEntry(dataSource, owner.id())) {
            enable(owner).statusCode(500);
        }
        assertEquals(0, chains.since(mark));
        given().auth().oauth2(owner.token()).get(owner.path("/emergency-access")).then().body("enabled", equalTo(false));

        String code = enable(owner).statusCode(200).extract().path("emergencyCode");
        String clinician = Tokens.tokenFor("clinician-" + UUID.randomUUID(), "clinician");
        String episode = open(clinician, code).statusCode(201).extract().path("id");
        mark = chains.mark();
        try (FailAtCommit failing = FailAtCommit.forOwnerEntry(dataSource, owner.id())) {
            given().auth().oauth2(clinician).get("/emergency/episodes/" + episode + "/latest").then().statusCode(500);
            given().auth().oauth2(owner.token()).post(owner.path("/emergency-episodes/" + episode + "/end")).then()
                    .statusCode(500);
            disable(owner).statusCode(500);
        }
        assertEquals(0, chains.since(mark));
        given().auth().oauth2(owner.token()).get(owner.path("/accesses")).then().statusCode(200).body("size()", equalTo(0));
        given().auth().oauth2(owner.token()).get(owner.path("/emergency-episodes/" + episode)).then()
                .body("status", equalTo("open"));
        given().auth().oauth2(owner.token()).get(owner.path("/emergency-access")).then().body("enabled", equalTo(true));
        assertEquals(List.of("EMERGENCY_ENABLED", "EMERGENCY_OPENED"), kinds(chains.verified(owner.id())));
    }

    private Owner owner() {
        String token = Tokens.newOwnerToken();
        return new Owner(token, Tokens.register(token));
    }

    private Owner ownerWithReading() throws Exception {
        Owner owner = owner();
        Instant at = Instant.now().minus(1, ChronoUnit.HOURS);
        long t = at.toEpochMilli();
        GatewayWrites.writeSealed(dataSource, owner.id(), "heart_rate", at.truncatedTo(ChronoUnit.HOURS),
                List.of(new Reading(UUID.randomUUID(), t, t + 5, VALUE)));
        return owner;
    }

    private static ValidatableResponse enable(Owner owner) {
        return given().auth().oauth2(owner.token()).contentType(ContentType.JSON).body(Map.of("enabled", true))
                .put(owner.path("/emergency-access")).then();
    }

    private static ValidatableResponse disable(Owner owner) {
        return given().auth().oauth2(owner.token()).contentType(ContentType.JSON).body(Map.of("enabled", false))
                .put(owner.path("/emergency-access")).then();
    }

    private static ValidatableResponse open(String clinician, String code) {
        Map<String, Object> body = new HashMap<>();
        body.put("emergencyCode", code);
        body.put("reason", REASON);
        return given().auth().oauth2(clinician).contentType(ContentType.JSON).body(body).post("/emergency/episodes").then();
    }

    private static List<String> kinds(List<JsonNode> chain) {
        return chain.stream().map(e -> e.get("kind").asText()).toList();
    }
}
