package org.vitalvault.vault.device;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.vitalvault.store.DeviceActivity;
import org.vitalvault.store.DeviceActivityWriter;
import org.vitalvault.vault.sealing.OwnerTextSeal;
import org.vitalvault.vault.support.Tokens;

/**
 * What the owner sees of the gateway's device activity (V20, decision 048): refused records by
 * reason, last seen, DEVICE notices. Activity rows are written here exactly as the gateway writes
 * them (DeviceActivityWriter); deploy's DeviceRejectionsIT drives the real gateway through the broker.
 */
@QuarkusTest
class DeviceActivityResourceTest {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    DeviceActivityJob job;

    @Inject
    OwnerTextSeal seal;

    private record Paired(String token, UUID owner, UUID device) {
    }

    private static Paired pair(String name) {
        String token = Tokens.newOwnerToken();
        UUID owner = Tokens.register(token);
        UUID device = UUID.fromString(given().auth().oauth2(token).contentType(ContentType.JSON)
                .body("{\"name\":\"" + name + "\"}").post("/owners/" + owner + "/devices").then().statusCode(201)
                .extract().path("id"));
        return new Paired(token, owner, device);
    }

    private void gatewayWrites(Paired p, Instant window, int accepted, Map<String, Integer> rejected) throws Exception {
        try (Connection c = dataSource.getConnection()) {
            DeviceActivityWriter.write(c, List.of(new DeviceActivity(p.owner(), p.device(), window, window.plusSeconds(4),
                    accepted, rejected)), 5);
        }
    }

    /** Moves the owner's device times (pairing, activity, notice mark) back, as if {@code minutes} passed. */
    private void minutesPass(Paired p, int minutes) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "update device_activity set recorded_at = recorded_at - make_interval(mins => ?) where owner_id = ?;"
                        + " update device set paired_at = paired_at - make_interval(mins => ?),"
                        + " rejections_noticed_at = rejections_noticed_at - make_interval(mins => ?) where owner_id = ?")) {
            ps.setInt(1, minutes);
            ps.setObject(2, p.owner());
            ps.setInt(3, minutes);
            ps.setInt(4, minutes);
            ps.setObject(5, p.owner());
            ps.execute();
        }
    }

    private List<String> deviceNotices(UUID owner) throws Exception {
        List<String> texts = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select sealed_text from owner_notification where owner_id = ? and kind = 'DEVICE' order by notice_id")) {
            ps.setObject(1, owner);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    texts.add(seal.open(owner, OwnerTextSeal.Purpose.NOTICE, rs.getBytes(1)));
                }
            }
        }
        return texts;
    }

    @Test
    void aDevicesRefusedRecordsAreListedForItsOwnerByReasonWithPlainDescriptions() throws Exception {
        Paired p = pair("chest strap");
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        gatewayWrites(p, now.minusSeconds(60), 10, Map.of("out-of-range", 3, "too-old", 1));
        gatewayWrites(p, now.minusSeconds(30), 4, Map.of("out-of-range", 2));
        gatewayWrites(p, now.minusSeconds(20), 7, Map.of());

        given().auth().oauth2(p.token()).get("/owners/" + p.owner() + "/devices/" + p.device() + "/rejections")
                .then().statusCode(200)
                .body("deviceId", equalTo(p.device().toString()))
                .body("total", equalTo(6))
                .body("reasons", hasSize(2))
                .body("reasons[0].code", equalTo("out-of-range"))
                .body("reasons[0].reason", equalTo("OUT_OF_RANGE"))
                .body("reasons[0].count", equalTo(5))
                .body("reasons[0].description", equalTo(RejectionDescriptions.of(
                        org.vitalvault.wire.RejectionReason.OUT_OF_RANGE).description()))
                .body("reasons[0].lastAt", equalTo(now.minusSeconds(26).toString()))
                .body("reasons[1].code", equalTo("too-old"))
                .body("reasons[1].count", equalTo(1));

        given().auth().oauth2(p.token()).queryParam("since", now.minusSeconds(40).toString())
                .get("/owners/" + p.owner() + "/devices/" + p.device() + "/rejections")
                .then().statusCode(200).body("total", equalTo(2)).body("since", equalTo(now.minusSeconds(40).toString()));
        given().auth().oauth2(p.token()).queryParam("since", "yesterday")
                .get("/owners/" + p.owner() + "/devices/" + p.device() + "/rejections")
                .then().statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("since"));
    }

    @Test
    void anotherOwnersDeviceIsNotFoundExactlyLikeAnUnknownOne() throws Exception {
        Paired alice = pair("alice's strap");
        Paired mallory = pair("mallory's strap");
        gatewayWrites(alice, Instant.now(), 0, Map.of("out-of-range", 9));

        String theirs = given().auth().oauth2(mallory.token())
                .get("/owners/" + mallory.owner() + "/devices/" + alice.device() + "/rejections")
                .then().statusCode(404).contentType("application/problem+json").extract().path("title");
        String unknown = given().auth().oauth2(mallory.token())
                .get("/owners/" + mallory.owner() + "/devices/" + UUID.randomUUID() + "/rejections")
                .then().statusCode(404).contentType("application/problem+json").extract().path("title");
        assertEquals(unknown, theirs);
        // Naming Alice as the owner in the path is refused before anything is read.
        given().auth().oauth2(mallory.token())
                .get("/owners/" + alice.owner() + "/devices/" + alice.device() + "/rejections")
                .then().statusCode(404);
    }

    @Test
    void lastSeenIsTheNewestMessageTheGatewayRecordedStoredOrRefused() throws Exception {
        Paired p = pair("thermometer");
        given().auth().oauth2(p.token()).get("/owners/" + p.owner() + "/devices").then()
                .body("[0].lastSeen", equalTo(null));
        Instant window = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        gatewayWrites(p, window.minusSeconds(20), 3, Map.of());
        gatewayWrites(p, window, 0, Map.of("malformed", 1));
        given().auth().oauth2(p.token()).get("/owners/" + p.owner() + "/devices").then().statusCode(200)
                .body("[0].lastSeen", equalTo(window.plusSeconds(4).toString()))
                .body("[0].lastSeenAt", equalTo(window.plusSeconds(4).toString()));
    }

    @Test
    void pairingAndUnpairingAreNoticedToTheOwner() throws Exception {
        Paired p = pair("kitchen scale");
        given().auth().oauth2(p.token()).delete("/owners/" + p.owner() + "/devices/" + p.device()).then().statusCode(204);
        assertEquals(List.of("Your device 'kitchen scale' was paired.", "Your device 'kitchen scale' was unpaired."),
                deviceNotices(p.owner()));
    }

    @Test
    void refusedRecordsAreNoticedOncePerDevicePerHourByOneReplicaOnly() throws Exception {
        Paired p = pair("chest strap");
        gatewayWrites(p, Instant.now(), 5, Map.of("out-of-range", 3, "too-old", 1));
        job.noticeRejections();
        assertEquals(List.of("Your device 'chest strap' was paired."), deviceNotices(p.owner()),
                "rows recorded in the last seconds wait for the next run");
        minutesPass(p, 1);

        // Two replicas at once: one posts.
        ExecutorService replicas = Executors.newFixedThreadPool(2);
        try {
            Callable<Integer> run = job::noticeRejections;
            Future<Integer> a = replicas.submit(run);
            Future<Integer> b = replicas.submit(run);
            a.get();
            b.get();
        } finally {
            replicas.shutdown();
        }
        List<String> notices = deviceNotices(p.owner());
        assertEquals(List.of("Your device 'chest strap' was paired.",
                "Your device 'chest strap' had 4 records refused: implausible value (3), too old (1)."), notices);

        // More refusals within the hour: no second notice yet.
        gatewayWrites(p, Instant.now(), 0, Map.of("malformed", 2));
        minutesPass(p, 30);
        job.noticeRejections();
        assertEquals(2, deviceNotices(p.owner()).size());

        // An hour after the first notice: the refusals since then, once.
        minutesPass(p, 31);
        job.noticeRejections();
        job.noticeRejections();
        List<String> after = deviceNotices(p.owner());
        assertEquals(3, after.size());
        assertEquals("Your device 'chest strap' had 2 records refused: unreadable reading (2).", after.get(2));
    }

    @Test
    void activityOlderThanTheRetentionIsDeleted() throws Exception {
        Paired p = pair("old strap");
        gatewayWrites(p, Instant.now().minus(31, ChronoUnit.DAYS), 1, Map.of("too-old", 1));
        gatewayWrites(p, Instant.now().minus(29, ChronoUnit.DAYS), 1, Map.of());
        assertTrue(job.prune() >= 1);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select count(*) from device_activity where owner_id = ?")) {
            ps.setObject(1, p.owner());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(1, rs.getInt(1));
            }
        }
    }
}
