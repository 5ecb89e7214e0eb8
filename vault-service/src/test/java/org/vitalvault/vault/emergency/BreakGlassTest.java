package org.vitalvault.vault.emergency;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
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
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.vitalvault.reading.Reading;
import org.vitalvault.vault.sealing.OwnerTextSeal;
import org.vitalvault.vault.support.GatewayWrites;
import org.vitalvault.vault.support.MovableClock;
import org.vitalvault.vault.support.Tokens;

/**
 * Break-glass (issue 16 item 5, decision 047), attacks first: a clinician who holds an owner's
 * emergency code and states a reason reads that owner's latest values and last 24 hours, read-only,
 * for one bounded episode, and nothing else; the owner is told in the opening transaction and sees
 * every read. Time is moved with {@link MovableClock}, never waited for.
 */
@QuarkusTest
@TestProfile(BreakGlassTest.SmallLimits.class)
class BreakGlassTest {

    static final int PER_CLINICIAN = 3;
    static final int GLOBAL = 25;
    static final String REASON = "unconscious in ER, checking arrhythmia";

    /** The movable clock, and attempt limits small enough to reach in a test. */
    public static class SmallLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("vitalvault.emergency.failed-attempts-per-clinician", String.valueOf(PER_CLINICIAN),
                    "vitalvault.emergency.failed-attempts-global", String.valueOf(GLOBAL));
        }

        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(MovableClock.class);
        }
    }

    @Inject
    AgroalDataSource dataSource;

    @Inject
    MovableClock clock;

    @Inject
    OwnerTextSeal seal;

    /** An owner who opted in, with the code they were shown. */
    record Owner(String token, UUID id, String code) {
        String path(String rest) {
            return "/owners/" + id + rest;
        }
    }

    // --- attacks ----------------------------------------------------------------------------------

    @Test
    void accessNotEnabledIsRefusedExactlyLikeAWrongCode() {
        Owner owner = optedIn();
        given().auth().oauth2(owner.token()).contentType(ContentType.JSON).body(Map.of("enabled", false))
                .put(owner.path("/emergency-access")).then().statusCode(200).body("enabled", equalTo(false));
        String clinician = clinician();

        String disabled = open(clinician, owner.code(), REASON).then().statusCode(404)
                .contentType(endsWith("problem+json")).extract().asString();
        String wrong = open(clinician, EmergencyCode.generate(), REASON).then().statusCode(404).extract().asString();
        String malformed = open(clinician, "1234", REASON).then().statusCode(404).extract().asString();
        assertEquals(wrong, disabled, "a disabled owner's code answers exactly like a wrong one");
        assertEquals(wrong, malformed);
        // An owner who never opted in has no code at all: the default is off.
        Owner never = registered();
        given().auth().oauth2(never.token()).get(never.path("/emergency-access")).then().statusCode(200)
                .body("enabled", equalTo(false)).body("enabledAt", nullValue()).body("emergencyCode", nullValue());
    }

    @Test
    void ownerCaregiverAndResearcherTokensAreRefusedAsClinicians() {
        Owner owner = optedIn();
        String episode = openedEpisode(clinician(), owner);
        for (String role : List.of("owner", "caregiver", "researcher", "operator")) {
            String token = Tokens.tokenFor(role + "-" + UUID.randomUUID(), role);
            open(token, owner.code(), REASON).then().statusCode(403).contentType(endsWith("problem+json"));
            given().auth().oauth2(token).get("/emergency/episodes/" + episode + "/latest").then().statusCode(403);
            given().auth().oauth2(token).queryParam("metric", "heart_rate")
                    .get("/emergency/episodes/" + episode + "/readings").then().statusCode(403);
        }
        // The owner's own token opens nothing either, and a clinician cannot manage the owner's settings.
        open(owner.token(), owner.code(), REASON).then().statusCode(403);
        String clinician = clinician();
        given().auth().oauth2(clinician).get(owner.path("/emergency-episodes")).then().statusCode(403);
        given().auth().oauth2(clinician).contentType(ContentType.JSON).body(Map.of("enabled", false))
                .put(owner.path("/emergency-access")).then().statusCode(403);
        assertEquals(List.of(), accesses(owner), "no refused call was recorded as a read");
    }

    @Test
    void anotherCliniciansEpisodeIsNotFound() {
        Owner owner = optedIn();
        String episode = openedEpisode(clinician(), owner);
        String other = clinician();
        given().auth().oauth2(other).get("/emergency/episodes/" + episode + "/latest").then().statusCode(404)
                .contentType(endsWith("problem+json"));
        given().auth().oauth2(other).queryParam("metric", "heart_rate")
                .get("/emergency/episodes/" + episode + "/readings").then().statusCode(404);
        given().auth().oauth2(other).get("/emergency/episodes/" + UUID.randomUUID() + "/latest").then().statusCode(404);
        // even a malformed query about someone else's episode learns only 404
        given().auth().oauth2(other).get("/emergency/episodes/" + episode + "/readings").then().statusCode(404);
        assertEquals(List.of(), accesses(owner));
    }

    @Test
    void anExpiredEpisodeIsNotFound() {
        Owner owner = optedIn();
        String clinician = clinician();
        JsonPath opened = open(clinician, owner.code(), REASON).then().statusCode(201).extract().jsonPath();
        String episode = opened.getString("id");
        assertEquals(Duration.ofHours(1), Duration.between(Instant.parse(opened.getString("startedAt")),
                Instant.parse(opened.getString("expiresAt"))), "vitalvault.emergency.duration, default PT1H");
        given().auth().oauth2(clinician).get("/emergency/episodes/" + episode + "/latest").then().statusCode(200);

        clock.advance(Duration.ofHours(1));
        given().auth().oauth2(clinician).get("/emergency/episodes/" + episode + "/latest").then().statusCode(404);
        given().auth().oauth2(clinician).queryParam("metric", "heart_rate")
                .get("/emergency/episodes/" + episode + "/readings").then().statusCode(404);
        given().auth().oauth2(owner.token()).get(owner.path("/emergency-episodes/" + episode)).then().statusCode(200)
                .body("status", equalTo("expired")).body("endedAt", nullValue()).body("accesses.size()", equalTo(1));
    }

    @Test
    void anEpisodeTheOwnerEndedIsRefusedAtTheNextRead() {
        Owner owner = optedIn();
        String clinician = clinician();
        String episode = openedEpisode(clinician, owner);
        given().auth().oauth2(clinician).get("/emergency/episodes/" + episode + "/latest").then().statusCode(200);

        given().auth().oauth2(owner.token()).post(owner.path("/emergency-episodes/" + episode + "/end"))
                .then().statusCode(200).body("status", equalTo("ended")).body("endedBy", equalTo("owner"))
                .body("endedAt", notNullValue());
        given().auth().oauth2(clinician).get("/emergency/episodes/" + episode + "/latest").then().statusCode(404);
        // Ending again changes nothing; the code still opens a new, separate episode (the owner stays opted in).
        given().auth().oauth2(owner.token()).post(owner.path("/emergency-episodes/" + episode + "/end"))
                .then().statusCode(200).body("status", equalTo("ended"));
        assertNotEquals(episode, openedEpisode(clinician, owner));
    }

    @Test
    void dataOlderThanTwentyFourHoursIsNeverReturned() throws SQLException {
        Owner owner = optedIn();
        Instant now = clock.instant();
        Instant recent = now.minus(Duration.ofMinutes(90)).truncatedTo(ChronoUnit.SECONDS);
        Instant old = now.minus(Duration.ofHours(25)).truncatedTo(ChronoUnit.SECONDS);
        Instant justOld = now.minus(Duration.ofHours(24)).minus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.SECONDS);
        seed(owner, "heart_rate", old, 40);
        seed(owner, "heart_rate", justOld, 41);
        seed(owner, "heart_rate", recent, 72);
        seed(owner, "body_temperature", old, 39.5);   // its latest value is older than 24 h
        String clinician = clinician();
        JsonPath opened = open(clinician, owner.code(), REASON).then().statusCode(201).extract().jsonPath();
        assertEquals(List.of("heart_rate"), opened.getList("metrics"));
        String episode = opened.getString("id");
        String base = "/emergency/episodes/" + episode;

        JsonPath latest = given().auth().oauth2(clinician).get(base + "/latest").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("heart_rate"), latest.getList("metric"));
        assertEquals(List.of(72.0f), latest.getList("value"));

        for (String resolution : List.of("raw", "minute", "hour")) {
            JsonPath s = given().auth().oauth2(clinician).queryParam("metric", "heart_rate")
                    .queryParam("from", now.minus(Duration.ofDays(7)).toString()).queryParam("resolution", resolution)
                    .get(base + "/readings").then().statusCode(200).extract().jsonPath();
            Instant from = Instant.parse(s.getString("from"));
            assertFalse(from.isBefore(now.minus(Duration.ofHours(24))), resolution + ": clipped to the last 24 h, not " + from);
            assertEquals(1, s.getInt("count"), resolution + ": only the recent reading");
            List<Float> values = "raw".equals(resolution) ? s.getList("readings.value") : s.getList("buckets.mean");
            assertEquals(List.of(72.0f), values, resolution);
        }
        // A range wholly before the window is refused; day buckets would reach back before it.
        given().auth().oauth2(clinician).queryParam("metric", "heart_rate")
                .queryParam("from", now.minus(Duration.ofDays(3)).toString())
                .queryParam("until", now.minus(Duration.ofHours(25)).toString())
                .get(base + "/readings").then().statusCode(403).body("type", endsWith("/outside-emergency-window"));
        given().auth().oauth2(clinician).queryParam("metric", "heart_rate").queryParam("resolution", "day")
                .get(base + "/readings").then().statusCode(400);
    }

    @Test
    void disablingEmergencyAccessEndsOpenEpisodesAndTheCode() {
        Owner owner = optedIn();
        String clinician = clinician();
        String first = openedEpisode(clinician, owner);
        String second = openedEpisode(clinician(), owner);

        given().auth().oauth2(owner.token()).contentType(ContentType.JSON).body(Map.of("enabled", false))
                .put(owner.path("/emergency-access")).then().statusCode(200).body("enabled", equalTo(false))
                .body("emergencyCode", nullValue());
        given().auth().oauth2(clinician).get("/emergency/episodes/" + first + "/latest").then().statusCode(404);
        open(clinician, owner.code(), REASON).then().statusCode(404);
        JsonPath episodes = given().auth().oauth2(owner.token()).get(owner.path("/emergency-episodes")).then()
                .statusCode(200).extract().jsonPath();
        assertEquals(Set.of(first, second), Set.copyOf(episodes.getList("id")));
        assertEquals(List.of("disabled", "disabled"), episodes.getList("endedBy"));
        assertEquals(List.of("ended", "ended"), episodes.getList("status"));
    }

    @Test
    void reEnablingReplacesTheCode() {
        Owner owner = optedIn();
        String fresh = given().auth().oauth2(owner.token()).contentType(ContentType.JSON).body(Map.of("enabled", true))
                .put(owner.path("/emergency-access")).then().statusCode(200).extract().path("emergencyCode");
        assertNotEquals(owner.code(), fresh);
        open(clinician(), owner.code(), REASON).then().statusCode(404);
        open(clinician(), fresh, REASON).then().statusCode(201);
        // shown once: reading the setting never shows it again
        given().auth().oauth2(owner.token()).get(owner.path("/emergency-access")).then().statusCode(200)
                .body("enabled", equalTo(true)).body("duration", equalTo("PT1H")).body("emergencyCode", nullValue());
    }

    @Test
    void anotherOwnersEpisodesAndSettingsAreNotFound() {
        Owner alice = optedIn();
        Owner bob = optedIn();
        String episode = openedEpisode(clinician(), alice);
        given().auth().oauth2(bob.token()).get(alice.path("/emergency-episodes")).then().statusCode(404);
        given().auth().oauth2(bob.token()).get(alice.path("/emergency-access")).then().statusCode(404);
        given().auth().oauth2(bob.token()).contentType(ContentType.JSON).body(Map.of("enabled", false))
                .put(alice.path("/emergency-access")).then().statusCode(404);
        // alice's episode under bob's own id is as unknown as a random one
        given().auth().oauth2(bob.token()).get(bob.path("/emergency-episodes/" + episode)).then().statusCode(404);
        given().auth().oauth2(bob.token()).post(bob.path("/emergency-episodes/" + episode + "/end")).then().statusCode(404);
        given().auth().oauth2(alice.token()).get(alice.path("/emergency-episodes/" + episode)).then().statusCode(200)
                .body("status", equalTo("open"));
    }

    @Test
    void theOwnerIsNotifiedInTheTransactionThatOpensTheEpisode() throws SQLException {
        Owner owner = optedIn();
        String subject = "dr-" + UUID.randomUUID();
        String episode = openedEpisode(Tokens.tokenFor(subject, "clinician"), owner);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select n.kind, n.sealed_text, n.xmin::text, e.xmin::text"
                        + " from owner_notification n join emergency_episode e using (owner_id)"
                        + " where e.owner_id = ? and e.episode_id = ?")) {
            ps.setObject(1, owner.id());
            ps.setObject(2, UUID.fromString(episode));
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "a notice exists as soon as the episode does");
                assertEquals("BREAK_GLASS", rs.getString(1));
                String text = seal.open(owner.id(), OwnerTextSeal.Purpose.NOTICE, rs.getBytes(2));
                assertTrue(text.contains(subject) && text.contains(REASON), text);
                assertEquals(rs.getString(4), rs.getString(3), "written by the same transaction as the episode");
                assertFalse(rs.next(), "one notice per opening");
            }
        }
    }

    @Test
    void everyReadIsListedInTheOwnersAccessesAndInTheEpisode() throws SQLException {
        Owner owner = optedIn();
        seed(owner, "heart_rate", clock.instant().minus(Duration.ofMinutes(30)).truncatedTo(ChronoUnit.SECONDS), 80);
        String subject = "dr-" + UUID.randomUUID();
        String clinician = Tokens.tokenFor(subject, "clinician");
        String episode = openedEpisode(clinician, owner);
        given().auth().oauth2(clinician).get("/emergency/episodes/" + episode + "/latest").then().statusCode(200);
        given().auth().oauth2(clinician).queryParam("metric", "heart_rate").queryParam("resolution", "minute")
                .get("/emergency/episodes/" + episode + "/readings").then().statusCode(200);

        JsonPath all = given().auth().oauth2(owner.token()).get(owner.path("/accesses")).then().statusCode(200)
                .extract().jsonPath();
        assertEquals(List.of("emergency", "emergency"), all.getList("kind"));
        assertEquals(List.of(episode, episode), all.getList("grantId"));
        assertEquals(List.of(subject, subject), all.getList("accessor"));
        assertEquals(List.of(REASON, REASON), all.getList("reason"));
        assertEquals(List.of("latest", "minute"), all.getList("resolution"));
        assertEquals("heart_rate", all.getString("[1].metric"));
        assertTrue(all.get("[1].dataWindow.from") != null);

        JsonPath e = given().auth().oauth2(owner.token()).get(owner.path("/emergency-episodes/" + episode)).then()
                .statusCode(200).extract().jsonPath();
        assertEquals(subject, e.getString("clinician"));
        assertEquals(REASON, e.getString("reason"));
        assertEquals(all.getList("id"), e.getList("accesses.id"));
        assertEquals(all.getList("id"), given().auth().oauth2(owner.token()).get(owner.path("/emergency-episodes"))
                .then().statusCode(200).extract().jsonPath().getList("[0].accesses.id"));
    }

    @Test
    void aDumpShowsNoReasonCodeNorClinician() throws SQLException {
        Owner owner = optedIn();
        String subject = "dr.jane.doe@hospital.example";
        String reason = "found collapsed at the station, checking her rhythm";
        String clinician = Tokens.tokenFor(subject, "clinician");
        String episode = open(clinician, owner.code(), reason).then().statusCode(201).extract().path("id");
        given().auth().oauth2(clinician).get("/emergency/episodes/" + episode + "/latest").then().statusCode(200);
        open(clinician, EmergencyCode.generate(), reason).then().statusCode(404);   // a failed attempt is stored too

        String dump = dump();
        String canonical = EmergencyCode.canonical(owner.code()).orElseThrow();
        for (String secret : List.of(subject, reason, owner.code(), canonical, "collapsed")) {
            assertFalse(dump.contains(secret), "the dump shows " + secret);
            assertFalse(dump.contains(HexFormat.of().formatHex(secret.getBytes(StandardCharsets.UTF_8))),
                    "the dump shows " + secret + " as bytes");
        }
        // while the owner still reads both
        given().auth().oauth2(owner.token()).get(owner.path("/emergency-episodes/" + episode)).then().statusCode(200)
                .body("clinician", equalTo(subject)).body("reason", equalTo(reason));
    }

    // --- code guessing ----------------------------------------------------------------------------

    @Test
    void aClinicianWhoTriedTooManyWrongCodesIsRefusedEvenWithTheRightOne() {
        Owner owner = optedIn();
        String guesser = clinician();
        for (int i = 0; i < PER_CLINICIAN; i++) {
            open(guesser, EmergencyCode.generate(), REASON).then().statusCode(404);
        }
        ExtractableResponse<Response> refused = open(guesser, owner.code(), REASON).then().statusCode(429)
                .body("type", endsWith("/too-many-emergency-attempts")).extract();
        long retryAfter = Long.parseLong(refused.header("Retry-After"));
        assertTrue(retryAfter > 0 && retryAfter <= 3600, "Retry-After " + retryAfter);
        // another clinician is not held back by this one's mistakes
        open(clinician(), owner.code(), REASON).then().statusCode(201);
        // and once the window turns the clinician may try again
        clock.advance(Duration.ofSeconds(retryAfter + 1));
        open(guesser, owner.code(), REASON).then().statusCode(201);
    }

    @Test
    void rightCodesDoNotCountAsFailedAttempts() {
        Owner owner = optedIn();
        String clinician = clinician();
        for (int i = 0; i < PER_CLINICIAN + 2; i++) {
            open(clinician, owner.code(), REASON).then().statusCode(201);
        }
        for (int i = 0; i < PER_CLINICIAN - 1; i++) {
            open(clinician, EmergencyCode.generate(), REASON).then().statusCode(404);
        }
        open(clinician, owner.code(), REASON).then().statusCode(201);
    }

    @Test
    void manyCliniciansTogetherMayFailOnlyTheGlobalNumberOfTimesPerWindow() {
        Owner owner = optedIn();
        freshWindow();
        try {
            int failed = 0;
            int status = 404;
            while (status == 404) {
                String guesser = clinician();
                for (int i = 0; i < PER_CLINICIAN && status == 404; i++) {
                    status = open(guesser, EmergencyCode.generate(), REASON).then().extract().statusCode();
                    failed += status == 404 ? 1 : 0;
                }
            }
            assertEquals(429, status);
            assertEquals(GLOBAL, failed, "wrong codes tried vault-wide in one window");
            open(clinician(), owner.code(), REASON).then().statusCode(429);
        } finally {
            freshWindow();
        }
        open(clinician(), owner.code(), REASON).then().statusCode(201);
    }

    @Test
    void aReasonIsRequiredAndAnInvalidRequestCostsNoAttempt() {
        Owner owner = optedIn();
        String clinician = clinician();
        for (int i = 0; i < PER_CLINICIAN + 1; i++) {
            open(clinician, owner.code(), "short").then().statusCode(400);
            open(clinician, null, REASON).then().statusCode(400);
        }
        open(clinician, owner.code(), "x".repeat(501)).then().statusCode(400);
        open(clinician, owner.code(), REASON).then().statusCode(201);
        assertEquals(List.of(), given().auth().oauth2(owner.token()).get(owner.path("/emergency-episodes")).then()
                .statusCode(200).extract().jsonPath().getList("reason").stream().filter(r -> !REASON.equals(r)).toList());
    }

    // --- helpers ----------------------------------------------------------------------------------

    private Owner registered() {
        String token = Tokens.newOwnerToken();
        return new Owner(token, Tokens.register(token), null);
    }

    private Owner optedIn() {
        Owner o = registered();
        JsonPath setting = given().auth().oauth2(o.token()).contentType(ContentType.JSON).body(Map.of("enabled", true))
                .put(o.path("/emergency-access")).then().statusCode(200).body("enabled", equalTo(true))
                .body("duration", equalTo("PT1H")).body("enabledAt", notNullValue()).extract().jsonPath();
        return new Owner(o.token(), o.id(), setting.getString("emergencyCode"));
    }

    private static String clinician() {
        return Tokens.tokenFor("clinician-" + UUID.randomUUID(), "clinician");
    }

    private static Response open(String token, String code, String reason) {
        Map<String, Object> body = new java.util.HashMap<>();
        body.put("emergencyCode", code);
        body.put("reason", reason);
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body).post("/emergency/episodes");
    }

    private static String openedEpisode(String clinician, Owner owner) {
        return open(clinician, owner.code(), REASON).then().statusCode(201).extract().path("id");
    }

    private static List<Object> accesses(Owner owner) {
        return given().auth().oauth2(owner.token()).get(owner.path("/accesses")).then().statusCode(200)
                .extract().jsonPath().getList("id");
    }

    /** Moves the clock to the start of the next attempt window (PT1H), so its counters start at zero. */
    private void freshWindow() {
        Instant now = clock.instant();
        clock.advance(Duration.between(now, now.truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.HOURS)).plusSeconds(1));
    }

    private void seed(Owner owner, String metric, Instant at, double value) throws SQLException {
        long t = at.toEpochMilli();
        GatewayWrites.writeSealed(dataSource, owner.id(), metric, at.truncatedTo(ChronoUnit.HOURS),
                List.of(new Reading(UUID.randomUUID(), t, t + 5, value)));
    }

    /** Every row of every table as text, bytea as hex and as Latin-1 (as WhatADumpShowsTest renders a dump). */
    private String dump() throws SQLException {
        StringBuilder out = new StringBuilder();
        try (Connection c = dataSource.getConnection()) {
            List<String> tables = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select quote_ident(table_schema) || '.' || quote_ident(table_name)"
                    + " from information_schema.tables where table_type = 'BASE TABLE'"
                    + " and table_schema not in ('pg_catalog', 'information_schema')");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            assertTrue(tables.containsAll(List.of("public.emergency_access", "public.emergency_episode",
                    "public.emergency_attempt", "public.personal_access", "public.owner_notification")), "tables " + tables);
            for (String table : tables) {
                try (PreparedStatement ps = c.prepareStatement("select * from " + table); ResultSet rs = ps.executeQuery()) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int i = 1; i <= columns; i++) {
                            Object v = rs.getObject(i);
                            out.append('\t').append(v instanceof byte[] b
                                    ? HexFormat.of().formatHex(b) + " " + new String(b, StandardCharsets.ISO_8859_1)
                                    : String.valueOf(v));
                        }
                        out.append('\n');
                    }
                }
            }
        }
        return out.toString();
    }
}
