package org.vitalvault.vault.readings;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.vitalvault.crypto.BatchAad;
import org.vitalvault.crypto.BatchCipher;
import org.vitalvault.crypto.EpochKey;
import org.vitalvault.reading.Reading;
import org.vitalvault.reading.ReadingBatchCodec;
import org.vitalvault.vault.support.Tokens;
import org.vitalvault.vault.support.VaultTestResource;

/**
 * Readings written the way the gateway writes them (sealed to the owner's public key with an HPKE
 * epoch) come back to their owner exactly, each once.
 */
@QuarkusTest
class ReadingResourceTest {

    @Inject
    AgroalDataSource dataSource;

    private final Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(2, ChronoUnit.HOURS);

    @Test
    void ownerReadsBackExactlyWhatWasSealedForThem() throws Exception {
        String token = Tokens.newOwnerToken();
        UUID owner = Tokens.register(token);
        UUID device = UUID.randomUUID();
        long t0 = hour.plusSeconds(60).toEpochMilli();
        writeSealed(owner, "heart_rate", hour, List.of(new Reading(device, t0, t0 + 5, 71),
                new Reading(device, t0 + 1000, t0 + 1005, 73.5)));

        JsonPath series = given().auth().oauth2(token)
                .queryParam("metric", "heart_rate").queryParam("from", hour.toString())
                .queryParam("until", hour.plus(1, ChronoUnit.HOURS).toString())
                .get("/owners/" + owner + "/readings").then().statusCode(200)
                .body("unit", equalTo("beat/min")).body("loinc", equalTo("8867-4"))
                .extract().jsonPath();
        assertEquals(List.of(71.0f, 73.5f), series.getList("readings.value"));
        assertEquals(Instant.ofEpochMilli(t0).toString(), series.getString("readings[0].time"));
        assertEquals(device.toString(), series.getString("readings[0].device"));
    }

    @Test
    void aReadingStoredTwiceIsReadOnce() throws Exception {
        String token = Tokens.newOwnerToken();
        UUID owner = Tokens.register(token);
        UUID device = UUID.randomUUID();
        long t0 = hour.plusSeconds(10).toEpochMilli();
        Reading r = new Reading(device, t0, t0 + 3, 64);
        writeSealed(owner, "heart_rate", hour, List.of(r));
        // A broker redelivery lands in another batch, maybe of another epoch.
        writeSealed(owner, "heart_rate", hour, List.of(new Reading(device, t0, t0 + 900, 64)));
        given().auth().oauth2(token).queryParam("metric", "heart_rate").queryParam("from", hour.toString())
                .get("/owners/" + owner + "/readings").then().statusCode(200).body("count", equalTo(1));
    }

    @Test
    void aRawReadOverTheBoundIsRefusedWithACoarserResolutionToAskFor() throws Exception {
        String token = Tokens.newOwnerToken();
        UUID owner = Tokens.register(token);
        UUID device = UUID.randomUUID();
        long t0 = hour.toEpochMilli();
        List<Reading> many = new ArrayList<>();
        for (int i = 0; i <= VaultTestResource.MAX_RAW_POINTS; i++) {
            many.add(new Reading(device, t0 + i * 500L, t0 + i * 500L + 5, 60 + i % 40));
        }
        writeSealed(owner, "heart_rate", hour, many);
        String from = hour.toString();
        String until = hour.plus(1, ChronoUnit.HOURS).toString();

        given().auth().oauth2(token).queryParam("metric", "heart_rate").queryParam("from", from).queryParam("until", until)
                .get("/owners/" + owner + "/readings").then().statusCode(400).contentType("application/problem+json")
                .body("type", endsWith("/too-many-readings"))
                .body("errors[0].field", equalTo("resolution"))
                .body("errors[0].message", containsString(String.valueOf(VaultTestResource.MAX_RAW_POINTS)))
                .body("errors[0].message", containsString("resolution=hour"));
        // The coarser resolution it names answers, with every reading counted.
        given().auth().oauth2(token).queryParam("metric", "heart_rate").queryParam("from", from).queryParam("until", until)
                .queryParam("resolution", "hour").get("/owners/" + owner + "/readings").then().statusCode(200)
                .body("count", equalTo(VaultTestResource.MAX_RAW_POINTS + 1));
    }

    @Test
    void unknownMetricIsA400ProblemNamingTheField() {
        String token = Tokens.newOwnerToken();
        UUID owner = Tokens.register(token);
        given().auth().oauth2(token).queryParam("metric", "mood").get("/owners/" + owner + "/readings")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("metric"));
    }

    @Test
    void malformedTimeIsA400Problem() {
        String token = Tokens.newOwnerToken();
        UUID owner = Tokens.register(token);
        given().auth().oauth2(token).queryParam("metric", "spo2").queryParam("from", "yesterday")
                .get("/owners/" + owner + "/readings").then().statusCode(400)
                .body("errors[0].field", equalTo("from"));
    }

    @Test
    void devTokenRequestWithUnknownRoleIsA400() {
        given().contentType(ContentType.JSON).body("{\"subject\":\"x\",\"role\":\"root\"}").post("/dev/tokens")
                .then().statusCode(400).body("errors[0].field", equalTo("role"));
    }

    /** What the gateway does: one epoch encapsulation to the owner's public key, one sealed batch row. */
    private void writeSealed(UUID owner, String metric, Instant bucket, List<Reading> readings) throws Exception {
        try (Connection c = dataSource.getConnection()) {
            byte[] publicKey;
            try (PreparedStatement ps = c.prepareStatement("select public_key from owner_key where owner_id = ?")) {
                ps.setObject(1, owner);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    publicKey = rs.getBytes(1);
                }
            }
            UUID epochId = UUID.randomUUID();
            EpochKey key = EpochKey.create(publicKey, owner, epochId);
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into seal_epoch (owner_id, epoch_id, key_version, enc, created_at) values (?, ?, 1, ?, now())")) {
                ps.setObject(1, owner);
                ps.setObject(2, epochId);
                ps.setBytes(3, key.enc());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("insert into reading_batch (owner_id, metric, bucket, batch_id,"
                    + " epoch_id, reading_count, sealed, stored_at) values (?, ?, ?, ?, ?, ?, ?, now())")) {
                ps.setObject(1, owner);
                ps.setString(2, metric);
                ps.setTimestamp(3, Timestamp.from(bucket));
                ps.setObject(4, UUID.randomUUID());
                ps.setObject(5, epochId);
                ps.setInt(6, readings.size());
                ps.setBytes(7, BatchCipher.seal(key.dataKey(), new BatchAad(owner, metric, bucket, epochId),
                        ReadingBatchCodec.encode(readings)));
                ps.executeUpdate();
            }
        }
    }
}
