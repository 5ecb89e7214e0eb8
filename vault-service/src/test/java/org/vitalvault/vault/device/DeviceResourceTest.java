package org.vitalvault.vault.device;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.nullValue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import io.restassured.http.ContentType;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.vitalvault.notify.NotifyChannels;
import org.vitalvault.store.DeviceActivity;
import org.vitalvault.store.DeviceActivityWriter;
import org.vitalvault.reading.Reading;
import org.vitalvault.vault.support.GatewayWrites;
import org.junit.jupiter.api.Test;
import org.vitalvault.vault.support.Tokens;

@QuarkusTest
class DeviceResourceTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void pairingGivesTheDeviceItsIdTopicAndCredentialOnce() {
        String token = Tokens.newOwnerToken();
        UUID owner = Tokens.register(token);
        String deviceId = given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"name\":\"chest strap\"}")
                .post("/owners/" + owner + "/devices").then().statusCode(201)
                .body("topic", equalTo("readings/" + given().auth().oauth2(token)
                        .get("/owners/" + owner + "/devices").then().extract().path("[0].id")))
                .body("credential.length()", equalTo(43))
                .extract().path("id");
        given().auth().oauth2(token).get("/owners/" + owner + "/devices").then().statusCode(200)
                .body("$", hasSize(1))
                .body("[0].id", equalTo(deviceId))
                .body("[0]", not(hasKey("credential")));
    }

    @Test
    void theDeviceListIsPagedByLimitAndOffsetInPairingOrder() {
        String token = Tokens.newOwnerToken();
        UUID owner = Tokens.register(token);
        for (String name : List.of("one", "two", "three")) {
            given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"name\":\"" + name + "\"}")
                    .post("/owners/" + owner + "/devices").then().statusCode(201);
        }
        String devices = "/owners/" + owner + "/devices";
        List<String> all = given().auth().oauth2(token).get(devices).then().statusCode(200).extract().path("name");
        assertEquals(List.of("one", "two", "three"), all);
        assertEquals(all.subList(0, 2), given().auth().oauth2(token).queryParam("limit", 2).get(devices)
                .then().statusCode(200).extract().path("name"));
        assertEquals(all.subList(2, 3), given().auth().oauth2(token).queryParam("limit", 2).queryParam("offset", 2)
                .get(devices).then().statusCode(200).extract().path("name"));
        assertEquals(List.of(), given().auth().oauth2(token).queryParam("offset", 3).get(devices)
                .then().statusCode(200).extract().path("name"));
        given().auth().oauth2(token).queryParam("limit", 501).get(devices).then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("limit"));
        given().auth().oauth2(token).queryParam("offset", "first").get(devices).then().statusCode(400)
                .body("errors[0].field", equalTo("offset"));
    }

    @Test
    void aDevicesLastSeenTimeIsItsNewestMessageTheGatewayRecorded() throws Exception {
        String token = Tokens.newOwnerToken();
        UUID owner = Tokens.register(token);
        UUID device = UUID.fromString(given().auth().oauth2(token).contentType(ContentType.JSON)
                .body("{\"name\":\"chest strap\"}").post("/owners/" + owner + "/devices").then().statusCode(201)
                .extract().path("id"));
        given().auth().oauth2(token).get("/owners/" + owner + "/devices").then().body("[0].lastSeenAt", nullValue());

        // The gateway stores the reading and, in its next activity flush, the device's window.
        Instant received = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Instant hour = received.truncatedTo(ChronoUnit.HOURS);
        GatewayWrites.writeSealed(dataSource, owner, "heart_rate", hour,
                List.of(new Reading(device, received.toEpochMilli() - 2000, received.toEpochMilli(), 61)));
        try (Connection c = dataSource.getConnection()) {
            DeviceActivityWriter.write(c, List.of(new DeviceActivity(owner, device, received.minusSeconds(3), received,
                    1, java.util.Map.of())), 5);
        }

        String seen = given().auth().oauth2(token).get("/owners/" + owner + "/devices").then().statusCode(200)
                .extract().path("[0].lastSeenAt");
        assertEquals(received, Instant.parse(seen), "the receive time of the newest message");
    }

    @Test
    void pairingGivesAQrCodeThatDecodesToTheSameCredentialAndSettings() throws Exception {
        String token = Tokens.newOwnerToken();
        UUID owner = Tokens.register(token);
        io.restassured.response.ExtractableResponse<io.restassured.response.Response> pairing = given().auth()
                .oauth2(token).contentType(ContentType.JSON).body("{\"name\":\"qr strap\"}")
                .post("/owners/" + owner + "/devices").then().statusCode(201).extract();
        String svg = pairing.path("pairingQrSvg");
        com.fasterxml.jackson.databind.JsonNode qr = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(QrImages.decode(svg));
        assertEquals(1, qr.get("v").asInt());
        assertEquals(pairing.path("id"), qr.get("deviceId").asText());
        assertEquals(pairing.path("credential"), qr.get("credential").asText());
        assertEquals(pairing.path("mqttUrl"), qr.get("mqttUrl").asText());
        assertEquals(pairing.path("topic"), qr.get("topic").asText());
        assertEquals(pairing.path("macKey"), qr.get("macKey").asText());
        given().auth().oauth2(token).get("/owners/" + owner + "/devices").then().statusCode(200)
                .body("[0]", not(hasKey("pairingQrSvg")));
    }

    @Test
    void blankNameIsA400ProblemNamingTheField() {
        String token = Tokens.newOwnerToken();
        UUID owner = Tokens.register(token);
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"name\":\" \"}")
                .post("/owners/" + owner + "/devices").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("name"));
    }

    @Test
    void malformedJsonIsA400Problem() {
        String token = Tokens.newOwnerToken();
        UUID owner = Tokens.register(token);
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"name\":")
                .post("/owners/" + owner + "/devices").then().statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void anUnpairedDeviceDisappearsItsCredentialStopsResolvingAndListenersAreNotified() throws Exception {
        String token = Tokens.newOwnerToken();
        UUID owner = Tokens.register(token);
        String deviceId = given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"name\":\"cuff\"}")
                .post("/owners/" + owner + "/devices").then().statusCode(201).extract().path("id");
        try (Connection listener = dataSource.getConnection()) {
            listener.createStatement().execute("listen " + NotifyChannels.DEVICE_UNPAIRED);

            given().auth().oauth2(token).delete("/owners/" + owner + "/devices/" + deviceId).then().statusCode(204);

            PGNotification[] notes = listener.unwrap(PGConnection.class).getNotifications(5000);
            assertEquals(deviceId, notes[0].getParameter(), "gateways and the broker learn it at once");
        }
        given().auth().oauth2(token).get("/owners/" + owner + "/devices").then().statusCode(200).body("$", hasSize(0));
        // The broker's credential check and the gateway's device lookup both require unpaired_at is null.
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select count(*) from device where device_id = ? and unpaired_at is null")) {
            ps.setObject(1, UUID.fromString(deviceId));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(0, rs.getLong(1));
            }
        }
        given().auth().oauth2(token).delete("/owners/" + owner + "/devices/" + deviceId).then().statusCode(404)
                .contentType("application/problem+json");
    }
}
