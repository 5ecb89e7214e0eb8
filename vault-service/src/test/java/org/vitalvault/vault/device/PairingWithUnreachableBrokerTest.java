package org.vitalvault.vault.device;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.vitalvault.vault.support.Tokens;

/**
 * With Mosquitto's dynamic security configured but the broker unreachable (decision 029): pairing
 * fails whole with 503, unpairing succeeds and keeps the broker deletion in the outbox.
 */
@QuarkusTest
@TestProfile(PairingWithUnreachableBrokerTest.UnreachableMosquitto.class)
class PairingWithUnreachableBrokerTest {

    /** A dynamic-security broker on a port nothing listens on. */
    public static class UnreachableMosquitto implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "vitalvault.broker.provisioning", "mosquitto-dynsec",
                    "vitalvault.broker.admin-url", "tcp://127.0.0.1:" + freePort(),
                    "vitalvault.broker.admin-password", "unused",
                    "vitalvault.broker.timeout", "PT2S",
                    "vitalvault.broker.outbox-interval", "PT1S");
        }
    }

    @Inject
    AgroalDataSource dataSource;

    @Test
    void pairingWhileTheBrokerIsUnreachableAnswers503AndPairsNothing() {
        String token = Tokens.newOwnerToken();
        UUID owner = Tokens.register(token);
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"name\":\"chest strap\"}")
                .post("/owners/" + owner + "/devices").then().statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", "5")
                .body("type", equalTo("https://vitalvault.org/problems/broker-unavailable"))
                .body("status", equalTo(503));
        given().auth().oauth2(token).get("/owners/" + owner + "/devices").then().statusCode(200).body("$", hasSize(0));
    }

    @Test
    void unpairingWhileTheBrokerIsUnreachableSucceedsAndKeepsRetryingTheDeletion() throws Exception {
        String token = Tokens.newOwnerToken();
        UUID owner = Tokens.register(token);
        UUID device = UUID.randomUUID();
        // Paired before the broker went away (pairing itself needs the broker).
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "insert into device (owner_id, device_id, name, credential_hash, mac_required, paired_at)"
                        + " values (?, ?, 'strap', ?, false, ?)")) {
            ps.setObject(1, owner);
            ps.setObject(2, device);
            ps.setBytes(3, new DeviceCredential("x").hash());
            ps.setTimestamp(4, Timestamp.from(Instant.now()));
            ps.executeUpdate();
        }
        given().auth().oauth2(token).delete("/owners/" + owner + "/devices/" + device).then().statusCode(204);
        long deadline = System.nanoTime() + 60_000_000_000L;
        int attempts = 0;
        while (attempts < 1 && System.nanoTime() < deadline) {
            attempts = outboxAttempts(device);
            Thread.sleep(100);
        }
        assertTrue(attempts >= 1, "the worker tried the broker at once and failed; attempts " + attempts);
        Thread.sleep(1500);
        assertTrue(outboxAttempts(device) >= attempts, "the entry stays until the broker confirms");
    }

    private int outboxAttempts(UUID device) throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select attempts from broker_outbox where device_id = ?")) {
            ps.setObject(1, device);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "the unpairing recorded the broker deletion");
                return rs.getInt(1);
            }
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
