package org.vitalvault.deploy.backup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.Test;
import org.vitalvault.crypto.JwsVerifier;
import org.vitalvault.deploy.TestFolders;
import org.vitalvault.deploy.db.LocalPostgres;
import org.vitalvault.deploy.stack.LocalStack;
import org.vitalvault.deploy.stack.VaultClient;

/**
 * The restore drill (issue 15 item 8, docs/decisions/040) on the real local stack: owners with
 * readings, a backup while everything runs, the whole data folder wiped (database, master key,
 * signing key, JWT keys), a restore into a new PostgreSQL, the stack started again — each owner
 * reads byte for byte what they read before, with the token they had; an erasure receipt issued
 * before the backup still verifies against the restored vault's key; and an owner erased after the
 * backup, whom the restore brings back, is erased again from the erasure journal at start-up.
 */
class RestoreDrillIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private record Owner(String token, UUID id, VaultClient.Pairing device) {
    }

    @Test
    void ownersReadTheSameAfterBackupWipeAndRestoreAndLaterErasuresStayErased() throws Exception {
        Path repo = Path.of(System.getProperty("vitalvault.repo", "..")).toAbsolutePath().normalize();
        Path before = TestFolders.create("restore-drill-before");
        Path after = TestFolders.create("restore-drill-after");
        Path journalDir = TestFolders.create("restore-drill-journal");
        Path archive = TestFolders.create("restore-drill-archive").resolve("vault.zip");
        System.setProperty("vitalvault.erasure.journal-file", journalDir.resolve("erasures.log").toString());
        LocalStack stack = null;
        try {
            stack = start(repo, before);
            VaultClient vault = new VaultClient(stack.vaultUrl());
            long base = Instant.now().minus(Duration.ofHours(3)).getEpochSecond();
            List<Owner> kept = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Owner o = owner(vault, "kept-" + i);
                publish(stack, o, base + i, 40);
                kept.add(o);
            }
            Owner erasedBefore = owner(vault, "erased-before");
            Owner erasedAfter = owner(vault, "erased-after");
            publish(stack, erasedAfter, base, 10);
            for (Owner o : kept) {
                awaitCount(vault, o, base, 40);
                awaitLastSeen(vault, o);
            }
            awaitCount(vault, erasedAfter, base, 10);
            JsonNode receipt = erase(stack, erasedBefore);
            Map<String, byte[]> read = reads(stack, kept, base);

            try (Connection c = DriverManager.getConnection(stack.jdbcUrl(), "postgres", "")) {
                Backup.write(c, KeyFiles.inDataDir(before), archive);
            }
            erase(stack, erasedAfter);   // after the backup: in the journal only

            stack.close();
            stack = null;
            // The wipe: nothing of `before` (database, master key, signing key, JWT keys) is used again;
            // the restored stack runs in a new folder from the archive alone.
            TestFolders.delete(before);

            try (LocalPostgres fresh = LocalPostgres.start(after.resolve("postgres"), 0)) {
                Restore.restore(archive, fresh.jdbcUrl(), fresh.user(), fresh.password(), KeyFiles.inDataDir(after));
                assertTrue(ownerExists(fresh.jdbcUrl(), erasedAfter.id()),
                        "the restore brings back an owner erased after the backup (decision 040)");
            }
            stack = start(repo, after);

            assertEquals(read.keySet(), reads(stack, kept, base).keySet());
            Map<String, byte[]> again = reads(stack, kept, base);
            for (Map.Entry<String, byte[]> e : read.entrySet()) {
                assertArrayEquals(e.getValue(), again.get(e.getKey()), () -> e.getKey() + " differs: "
                        + new String(again.get(e.getKey()), StandardCharsets.UTF_8));
            }
            byte[] vaultKey = Base64.getUrlDecoder().decode(
                    JSON.readTree(get(stack, "/vault/keys", null)).get("keys").get(0).get("x").asText());
            JwsVerifier.verify(receipt.get("jws").asText(), vaultKey, "vitalvault.erasure-receipt");
            assertTrue(!ownerExists(stack.jdbcUrl(), erasedAfter.id()),
                    "the erasure journal erased again the owner the restore brought back");
        } finally {
            System.clearProperty("vitalvault.erasure.journal-file");
            if (stack != null) {
                stack.close();
            }
            TestFolders.delete(before);
            TestFolders.delete(after);
            TestFolders.delete(journalDir);
            TestFolders.delete(archive.getParent());
        }
    }

    private static LocalStack start(Path repo, Path data) throws Exception {
        return LocalStack.start(new LocalStack.Options(repo, data, Optional.empty(), "postgres", "", Optional.empty(),
                Optional.empty(), Optional.empty(), 0, 0, freePort(), freePort(), Map.of()));
    }

    private static Owner owner(VaultClient vault, String name) throws Exception {
        String token = vault.devToken(name + "-" + UUID.randomUUID(), "owner");
        UUID id = vault.registerOrFind(token);
        return new Owner(token, id, vault.pair(token, id, name + " strap"));
    }

    /** What each owner reads, as the bytes the vault answered. */
    private Map<String, byte[]> reads(LocalStack stack, List<Owner> owners, long base) throws Exception {
        Map<String, byte[]> m = new LinkedHashMap<>();
        String from = Instant.ofEpochSecond(base - 60).toString();
        String until = Instant.ofEpochSecond(base + 3600).toString();
        for (Owner o : owners) {
            m.put(o.id() + " me", get(stack, "/owners/me", o.token()));
            m.put(o.id() + " readings", get(stack, "/owners/" + o.id() + "/readings?metric=heart_rate&from=" + from
                    + "&until=" + until, o.token()));
            m.put(o.id() + " devices", get(stack, "/owners/" + o.id() + "/devices", o.token()));
            m.put(o.id() + " keys", get(stack, "/owners/" + o.id() + "/keys", o.token()));
        }
        return m;
    }

    private byte[] get(LocalStack stack, String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(stack.vaultUrl() + path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode(), () -> path + ": " + new String(r.body(), StandardCharsets.UTF_8));
        return r.body();
    }

    private JsonNode erase(LocalStack stack, Owner o) throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(stack.vaultUrl() + "/owners/" + o.id()))
                .header("Authorization", "Bearer " + o.token()).header("Content-Type", "application/json")
                .method("DELETE", HttpRequest.BodyPublishers.ofString("{\"confirmOwnerId\":\"" + o.id() + "\"}"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode(), () -> new String(r.body(), StandardCharsets.UTF_8));
        return JSON.readTree(r.body());
    }

    private static void publish(LocalStack stack, Owner o, long bt, int readings) throws Exception {
        StringBuilder pack = new StringBuilder("[");
        for (int i = 0; i < readings; i++) {
            pack.append(i == 0 ? "{\"bn\":\"urn:dev:uuid:" + o.device().deviceId() + ":\",\"bt\":" + bt
                    + ",\"bu\":\"beat/min\"," : ",{").append("\"n\":\"heart_rate\",\"t\":").append(i * 60)
                    .append(",\"v\":").append(60 + (i * 7 + bt) % 40).append('}');
        }
        pack.append(']');
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName(o.device().deviceId().toString());
        options.setPassword(o.device().credential().getBytes(StandardCharsets.UTF_8));
        MqttClient client = new MqttClient(stack.mqttUrl(), o.device().deviceId().toString(), new MemoryPersistence());
        client.connect(options);
        MqttMessage message = new MqttMessage(pack.toString().getBytes(StandardCharsets.UTF_8));
        message.setQos(1);
        client.publish(o.device().topic(), message);
        client.disconnect();
        client.close();
    }

    private static void awaitCount(VaultClient vault, Owner o, long base, int expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            VaultClient.Reply r = vault.readings(o.token(), o.id(), "heart_rate", Instant.ofEpochSecond(base - 60),
                    Instant.ofEpochSecond(base + 3600));
            if (r.status() == 200 && r.body().get("count").asInt() >= expected) {
                return;
            }
            Thread.sleep(250);
        }
        fail("the readings of " + o.id() + " were not stored within 120 s");
    }

    /**
     * Waits until the gateway's device activity for the owner's device reached the database (its flush
     * window is about 10 s after the readings): the devices list then stays what the backup holds.
     */
    private static void awaitLastSeen(VaultClient vault, Owner o) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            VaultClient.Reply r = vault.send("GET", "/owners/" + o.id() + "/devices", o.token(), null);
            if (r.status() == 200 && r.body().size() > 0 && r.body().get(0).hasNonNull("lastSeen")) {
                return;
            }
            Thread.sleep(250);
        }
        fail("the device activity of " + o.id() + " was not stored within 120 s");
    }

    private static boolean ownerExists(String jdbcUrl, UUID owner) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "");
             PreparedStatement ps = c.prepareStatement("select 1 from owner where owner_id = ?")) {
            ps.setObject(1, owner);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
