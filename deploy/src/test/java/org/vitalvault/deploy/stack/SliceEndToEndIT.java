package org.vitalvault.deploy.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.vitalvault.deploy.TestFolders;
import org.vitalvault.wire.RejectionReason;

/**
 * One reading's whole journey on the real stack: real PostgreSQL, a real MQTT 5 broker (embedded
 * HiveMQ CE, or any broker given by -Dvitalvault.e2e.mqttUrl, e.g. Mosquitto in CI), the real
 * vault-service and sensor-gateway processes, a Paho device. Owner registers → pairs a device →
 * the device publishes SenML with QoS 1 → the owner reads exactly those values back.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SliceEndToEndIT {

    /** A heart rate no simulator produces, so finding it anywhere at rest means plaintext leaked. */
    private static final double DISTINCTIVE = 187.375;

    private static LocalStack stack;
    private static VaultClient vault;
    private static String token;
    private static UUID ownerId;
    private static VaultClient.Pairing device;
    private static long baseSeconds;

    @BeforeAll
    static void startStack() throws Exception {
        Path repo = Path.of(System.getProperty("vitalvault.repo", "..")).toAbsolutePath().normalize();
        Path data = TestFolders.create("e2e");
        // Compact within a second, so the at-rest scan below also covers compacted, rolled-up hours.
        System.setProperty("vitalvault.compaction.interval", "PT1S");
        System.setProperty("vitalvault.compaction.min-batch-age", "PT0S");
        Optional<String> externalBroker = Optional.ofNullable(System.getProperty("vitalvault.e2e.mqttUrl"))
                .filter(s -> !s.isBlank());
        // An external broker with logins (.ci/run: Mosquitto with dynamic security) names the gateway's
        // user; the vault then provisions devices there through -Dvitalvault.broker.*.
        Optional<String> brokerUser = Optional.ofNullable(System.getProperty("vitalvault.e2e.mqttUser"))
                .filter(s -> !s.isBlank());
        // The password from the environment (.ci/run: never on mvn's command line), else a property.
        Optional<String> brokerPassword = Optional.ofNullable(System.getenv("VITALVAULT_E2E_MQTT_PASSWORD"))
                .or(() -> Optional.ofNullable(System.getProperty("vitalvault.e2e.mqttPassword")))
                .filter(s -> !s.isBlank());
        stack = LocalStack.start(new LocalStack.Options(repo, data, Optional.empty(), "postgres", "", externalBroker,
                brokerUser, brokerPassword, 0, 0, freePort(), freePort(),
                Map.of("vitalvault.gateway.mqtt.client-id", "e2e-gateway-" + UUID.randomUUID(),
                        // Device activity flushed every second, so the owner's view follows quickly.
                        "vitalvault.gateway.activity.flush-interval", "PT1S")));
        System.out.println("end-to-end slice against broker " + stack.mqttUrl()
                + (stack.embeddedBroker() ? " (embedded HiveMQ CE)" : " (external)"));
        vault = new VaultClient(stack.vaultUrl());
        token = vault.devToken("e2e-owner", "owner");
        ownerId = vault.registerOrFind(token);
        device = vault.pair(token, ownerId, "e2e chest strap");
        baseSeconds = Instant.now().getEpochSecond() - 120;
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            try {
                stack.close();
            } finally {
                TestFolders.delete(stack.dataDir());
            }
        }
    }

    @Test
    @Order(1)
    void publishedReadingsComeBackToTheirOwnerExactly() throws Exception {
        publish(device, pack(baseSeconds, 61, 62.5, DISTINCTIVE));
        JsonNode series = awaitReadings(3);
        List<Double> values = new ArrayList<>();
        series.get("readings").forEach(r -> values.add(r.get("value").asDouble()));
        assertEquals(List.of(61.0, 62.5, DISTINCTIVE), values);
        assertEquals(Instant.ofEpochSecond(baseSeconds).toString(), series.get("readings").get(0).get("time").asText());
        assertEquals(device.deviceId().toString(), series.get("readings").get(0).get("device").asText());
        assertEquals("8867-4", series.get("loinc").asText());
    }

    @Test
    @Order(2)
    void aPackDeliveredTwiceIsCountedOnce() throws Exception {
        publish(device, pack(baseSeconds, 61, 62.5, DISTINCTIVE));
        publish(device, pack(baseSeconds + 3, 70));
        JsonNode series = awaitReadings(4);
        assertEquals(4, series.get("count").asInt());
    }

    @Test
    @Order(3)
    void aBadRecordIsRejectedWithAReasonAndItsGoodNeighboursAreStored() throws Exception {
        double before = rejected(RejectionReason.OUT_OF_RANGE.code());
        String mixed = "[{\"bn\":\"heart_rate\",\"bt\":" + (baseSeconds + 10) + ",\"u\":\"beat/min\",\"v\":64},"
                + "{\"t\":1,\"v\":900},{\"t\":2,\"v\":66}]";
        publish(device, mixed);
        awaitReadings(6);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (rejected(RejectionReason.OUT_OF_RANGE.code()) < before + 1 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertEquals(before + 1, rejected(RejectionReason.OUT_OF_RANGE.code()));
    }

    @Test
    @Order(4)
    void noPlaintextHealthValueIsAtRestAfterIngestCompactionAndRollup() throws Exception {
        JsonNode before = awaitReadings(4);
        awaitCompaction();
        assertEquals(before.get("readings"), awaitReadings(4).get("readings"), "compaction changed what the owner reads");
        List<byte[]> needles = List.of(
                "187.375".getBytes(StandardCharsets.UTF_8),
                ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putDouble(DISTINCTIVE).array(),
                ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(DISTINCTIVE).array(),
                ByteBuffer.allocate(4).order(ByteOrder.BIG_ENDIAN).putFloat((float) DISTINCTIVE).array(),
                ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat((float) DISTINCTIVE).array());
        int cellsScanned = 0;
        try (Connection c = DriverManager.getConnection(stack.jdbcUrl(), "postgres", "");
             Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("select tablename from pg_tables where schemaname = 'public'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            assertTrue(tables.contains("reading_batch"), "schema present: " + tables);
            for (String table : tables) {
                try (ResultSet rs = s.executeQuery("select * from \"" + table + "\"")) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int col = 1; col <= columns; col++) {
                            byte[] cell = rs.getMetaData().getColumnType(col) == java.sql.Types.BINARY
                                    ? rs.getBytes(col) : Optional.ofNullable(rs.getString(col)).orElse("")
                                    .getBytes(StandardCharsets.UTF_8);
                            cellsScanned++;
                            for (byte[] needle : needles) {
                                if (contains(cell, needle)) {
                                    fail("plaintext value found in " + table + "." + rs.getMetaData().getColumnName(col)
                                            + " as " + HexFormat.of().formatHex(needle));
                                }
                            }
                        }
                    }
                }
            }
        }
        assertTrue(cellsScanned > 20, "scanned " + cellsScanned + " cells");
    }

    @Test
    @Order(5)
    void anotherOwnerCannotReadThem() throws Exception {
        String other = vault.devToken("e2e-intruder", "owner");
        vault.registerOrFind(other);
        VaultClient.Reply r = vault.readings(other, ownerId, "heart_rate", Instant.ofEpochSecond(baseSeconds - 60),
                Instant.now().plusSeconds(60));
        assertEquals(404, r.status());
        assertTrue(r.body().toString().contains("\"status\":404"));
        // The problem names the owner id asked for, which may itself contain "187" by chance.
        assertTrue(!r.body().toString().replace(ownerId.toString(), "").contains("187"));
    }

    @Test
    @Order(6)
    void noServiceShowsASecretOnItsCommandLineAndEachLogsInAsItsOwnLeastPrivilegedUser() throws Exception {
        List<String> secrets = new ArrayList<>();
        try (var files = java.nio.file.Files.list(stack.dataDir().resolve("db"))) {
            for (Path f : files.toList()) {
                secrets.add(java.nio.file.Files.readString(f).trim());
            }
        }
        secrets.add(java.nio.file.Files.readString(stack.dataDir().resolve("gateway.secret")).trim());
        for (String key : List.of("VITALVAULT_E2E_MQTT_PASSWORD", "VITALVAULT_BROKER_ADMIN_PASSWORD")) {
            Optional.ofNullable(System.getenv(key)).filter(v -> !v.isBlank()).ifPresent(secrets::add);
        }
        Optional.ofNullable(System.getProperty("vitalvault.broker.admin-password")).filter(v -> !v.isBlank())
                .ifPresent(secrets::add);
        assertEquals(2, stack.services().size());
        for (ServiceProcess service : stack.services()) {
            ProcessHandle.Info info = ProcessHandle.of(service.pid()).orElseThrow().info();
            String commandLine = String.join(" ", info.arguments().orElseThrow());
            assertTrue(commandLine.contains("-jar"), commandLine);
            for (String secret : secrets) {
                assertTrue(!commandLine.contains(secret), service.name() + " shows a secret on its command line");
            }
            assertTrue(!commandLine.toLowerCase(java.util.Locale.ROOT).contains("password"), commandLine);
        }
        // Who the services are logged in as (the superuser is trusted on loopback only: the test's own look).
        List<String> users = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(stack.jdbcUrl(), "postgres", "");
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select distinct a.usename, r.rolsuper from pg_stat_activity a"
                     + " join pg_roles r on r.oid = a.usesysid where a.datname = current_database()"
                     + " and a.pid <> pg_backend_pid() and a.backend_type = 'client backend' order by 1")) {
            while (rs.next()) {
                users.add(rs.getString(1));
                assertTrue(!rs.getBoolean(2), rs.getString(1) + " is a superuser");
            }
        }
        assertTrue(users.containsAll(List.of("gateway", "vault")), users.toString());
        assertTrue(List.of("broker", "gateway", "vault").containsAll(users), users.toString());
        // A login's password is checked, and the gateway's may not read devices or keys.
        java.sql.SQLException wrong = org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class,
                () -> DriverManager.getConnection(stack.jdbcUrl(), "gateway", "not-the-password").close());
        assertEquals("28P01", wrong.getSQLState());
        String gatewayPassword = java.nio.file.Files.readString(stack.dataDir().resolve("db/gateway.password")).trim();
        try (Connection c = DriverManager.getConnection(stack.jdbcUrl(), "gateway", gatewayPassword);
             Statement st = c.createStatement()) {
            java.sql.SQLException refused = org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class,
                    () -> st.executeQuery("select wrapped_private_key from owner_key").close());
            assertEquals("42501", refused.getSQLState());
            try (ResultSet rs = st.executeQuery("select count(*) from gateway_device_directory")) {
                rs.next();
                assertTrue(rs.getLong(1) >= 1, "the paired device is in the gateway's view");
            }
        }
    }

    @Test
    @Order(100)
    void theOwnerSeesTheDevicesRefusedRecordsByReasonAndAnotherOwnerDoesNot() throws Exception {
        // Through the broker, as a faulty device would: two implausible values, an unknown metric,
        // one good reading to show stored and refused records of one message are told apart.
        publish(device, "[{\"bn\":\"heart_rate\",\"bt\":" + (baseSeconds + 30) + ",\"u\":\"beat/min\",\"v\":900},"
                + "{\"t\":1,\"v\":901},{\"t\":2,\"v\":67},{\"n\":\"mood\",\"t\":3,\"v\":3}]");
        String path = "/owners/" + ownerId + "/devices/" + device.deviceId() + "/rejections";
        JsonNode last = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            VaultClient.Reply r = vault.send("GET", path, token, null);
            assertEquals(200, r.status(), () -> String.valueOf(r.body()));
            last = r.body();
            if (count(last, "out-of-range") >= 2 && count(last, "unknown-metric") >= 1) {
                break;
            }
            Thread.sleep(250);
        }
        JsonNode rejections = last;
        assertTrue(count(rejections, "out-of-range") >= 2, () -> "the owner sees the refusals: " + rejections);
        assertEquals(1, count(rejections, "unknown-metric"), () -> String.valueOf(rejections));
        for (JsonNode reason : rejections.get("reasons")) {
            assertTrue(reason.get("description").asText().length() > 20, "a plain-language description: " + reason);
            assertEquals(RejectionReason.fromCode(reason.get("code").asText()).orElseThrow().name(),
                    reason.get("reason").asText());
        }

        VaultClient.Reply devices = vault.send("GET", "/owners/" + ownerId + "/devices", token, null);
        assertTrue(devices.body().get(0).hasNonNull("lastSeen"), () -> "last seen: " + devices.body());

        String other = vault.devToken("e2e-intruder", "owner");
        UUID otherId = vault.registerOrFind(other);
        VaultClient.Reply foreign = vault.send("GET", "/owners/" + otherId + "/devices/" + device.deviceId()
                + "/rejections", other, null);
        VaultClient.Reply unknown = vault.send("GET", "/owners/" + otherId + "/devices/" + UUID.randomUUID()
                + "/rejections", other, null);
        assertEquals(404, foreign.status());
        assertEquals(unknown.body().get("title"), foreign.body().get("title"));
        assertEquals(404, vault.send("GET", path, other, null).status());
    }

    private static long count(JsonNode rejections, String code) {
        if (rejections == null) {
            return 0;
        }
        for (JsonNode reason : rejections.get("reasons")) {
            if (reason.get("code").asText().equals(code)) {
                return reason.get("count").asLong();
            }
        }
        return 0;
    }

    private static String pack(long bt, double... values) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            sb.append(i == 0 ? "{\"bn\":\"urn:dev:uuid:" + device.deviceId() + ":\",\"bt\":" + bt + ",\"bu\":\"beat/min\","
                    : ",{").append("\"n\":\"heart_rate\",\"t\":").append(i).append(",\"v\":").append(values[i]).append('}');
        }
        return sb.append(']').toString();
    }

    private static void publish(VaultClient.Pairing device, String payload) throws Exception {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName(device.deviceId().toString());
        options.setPassword(device.credential().getBytes(StandardCharsets.UTF_8));
        MqttClient client = new MqttClient(stack.mqttUrl(), device.deviceId().toString(), new MemoryPersistence());
        client.connect(options);
        MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        message.setQos(1);
        client.publish(device.topic(), message);
        client.disconnect();
        client.close();
    }

    /** Until the vault's compaction consumed every pending batch into sealed hours. */
    private static void awaitCompaction() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        try (Connection c = DriverManager.getConnection(stack.jdbcUrl(), "postgres", "");
             Statement s = c.createStatement()) {
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = s.executeQuery("select (select count(*) from reading_batch),"
                        + " (select count(*) from reading_segment)")) {
                    rs.next();
                    if (rs.getLong(1) == 0 && rs.getLong(2) > 0) {
                        return;
                    }
                }
                Thread.sleep(250);
            }
        }
        fail("compaction did not consume the pending batches within 60 s");
    }

    private static JsonNode awaitReadings(int expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            VaultClient.Reply r = vault.readings(token, ownerId, "heart_rate", Instant.ofEpochSecond(baseSeconds - 60),
                    Instant.now().plusSeconds(60));
            assertEquals(200, r.status(), () -> String.valueOf(r.body()));
            last = r.body();
            if (last.get("count").asInt() >= expected) {
                return last;
            }
            Thread.sleep(200);
        }
        fail("expected " + expected + " readings, last read: " + (last == null ? "none" : last.get("count")));
        return null;
    }

    private static double rejected(String reason) throws IOException, InterruptedException {
        return new GatewayProgress(stack.gatewayManagementUrl()).read().rejectedByReason().getOrDefault(reason, 0d);
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
