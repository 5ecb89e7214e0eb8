package org.vitalvault.deploy.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.vitalvault.deploy.TestFolders;
import org.vitalvault.deploy.broker.DynsecMosquitto;

/**
 * The whole stack against the real Mosquitto with authentication and ACLs (deploy/mosquitto's
 * dynamic-security configuration, set up by its script), not an anonymous one: the vault provisions
 * each device at pairing and deletes it at unpairing, the gateway logs in as its two users under
 * {@code use_username_as_clientid}. Pair → publish → receipt → unpair → refused, and both gateway
 * connections connect exactly once in the whole run. Skipped where Mosquitto is not installed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MosquittoDynsecIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(90);

    private static Path data;
    private static DynsecMosquitto mosquitto;
    private static LocalStack stack;
    private static VaultClient vault;
    private static String token;
    private static UUID ownerId;
    private static VaultClient.Pairing device;
    private static MqttAsyncClient deviceClient;
    private static final BlockingQueue<JsonNode> receipts = new LinkedBlockingQueue<>();

    @BeforeAll
    static void startStack() throws Exception {
        assumeTrue(DynsecMosquitto.installed(), "Mosquitto with the dynamic-security plugin is not installed here");
        Path repo = Path.of(System.getProperty("vitalvault.repo", "..")).toAbsolutePath().normalize();
        data = TestFolders.create("dynsec-e2e");
        Files.createDirectories(data.resolve("mosquitto"));
        mosquitto = DynsecMosquitto.start(repo, data.resolve("mosquitto"));
        // The vault provisions devices at this Mosquitto (LocalStack passes vitalvault.broker.* on).
        System.setProperty("vitalvault.broker.provisioning", "mosquitto-dynsec");
        System.setProperty("vitalvault.broker.admin-url", mosquitto.url());
        System.setProperty("vitalvault.broker.admin-username", DynsecMosquitto.PROVISIONER);
        System.setProperty("vitalvault.broker.admin-password", mosquitto.provisionerPassword());
        System.setProperty("vitalvault.broker.timeout", "PT20S");
        try {
            stack = LocalStack.start(new LocalStack.Options(repo, data, Optional.empty(), "postgres", "",
                    Optional.of(mosquitto.url()), Optional.of(DynsecMosquitto.GATEWAY),
                    Optional.of(mosquitto.gatewayPassword()), 0, 0, freePort(), freePort(),
                    // Mosquitto makes the user name the client id anyway; say so.
                    Map.of("vitalvault.gateway.mqtt.client-id", DynsecMosquitto.GATEWAY)));
        } finally {
            System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("vitalvault.broker."))
                    .forEach(System::clearProperty);
        }
        vault = new VaultClient(stack.vaultUrl());
        token = vault.devToken("dynsec-owner", "owner");
        ownerId = vault.registerOrFind(token);
    }

    @AfterAll
    static void stopStack() throws Exception {
        try {
            if (deviceClient != null) {
                deviceClient.close(true);
            }
            if (stack != null) {
                stack.close();
            }
        } finally {
            if (mosquitto != null) {
                mosquitto.close();
            }
            TestFolders.delete(data);
        }
    }

    @Test
    @Order(1)
    void aPairedDeviceLogsInWithItsCredentialPublishesAndGetsItsReceipt() throws Exception {
        device = vault.pair(token, ownerId, "dynsec chest strap");
        deviceClient = connect(device.deviceId(), device.credential());
        IMqttToken subscribed = deviceClient.subscribe("receipts/" + device.deviceId(), 1);
        subscribed.waitForCompletion(30_000);
        assertEquals(1, subscribed.getReasonCodes()[0], "the device may read its receipts");

        long bt = Instant.now().getEpochSecond() - 60;
        String pack = "[{\"bn\":\"urn:dev:uuid:" + device.deviceId() + ":\",\"bt\":" + bt + ",\"bu\":\"beat/min\","
                + "\"n\":\"heart_rate\",\"v\":61},{\"n\":\"heart_rate\",\"t\":1,\"v\":62},{\"n\":\"heart_rate\",\"t\":2,\"v\":63}]";
        IMqttToken published = deviceClient.publish(device.topic(),
                new MqttMessage(pack.getBytes(StandardCharsets.UTF_8), 1, false, null));
        published.waitForCompletion(30_000);
        assertTrue(published.getReasonCodes() == null || published.getReasonCodes()[0] < 0x80,
                "the broker accepts the device's own topic");

        int stored = 0;
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (stored < 3 && System.nanoTime() < deadline) {
            JsonNode receipt = receipts.poll(1, TimeUnit.SECONDS);
            if (receipt != null) {
                stored += receipt.path("stored").path("count").asInt();
            }
        }
        assertEquals(3, stored, "the receipt(s) on receipts/{id} confirm the three readings");
        VaultClient.Reply r = vault.readings(token, ownerId, "heart_rate", Instant.ofEpochSecond(bt - 60),
                Instant.now().plusSeconds(60));
        assertEquals(3, r.body().get("count").asInt(), () -> String.valueOf(r.body()));
    }

    @Test
    @Order(2)
    void aPairedDeviceCannotPublishToAnotherDevicesTopic() throws Exception {
        VaultClient.Pairing other = vault.pair(token, ownerId, "dynsec other strap");
        MqttAsyncClient c = connect(other.deviceId(), other.credential());
        IMqttToken forged = c.publish(device.topic(), new MqttMessage("[]".getBytes(StandardCharsets.UTF_8), 1, false, null));
        forged.waitForCompletion(30_000);
        assertEquals(0x87, forged.getReasonCodes()[0], "not authorized");
        c.disconnect().waitForCompletion(10_000);
        c.close();
    }

    @Test
    @Order(3)
    void anUnpairedDeviceIsDisconnectedAndRefusedFromThenOn() throws Exception {
        assertNotNull(device, "paired in the first test");
        VaultClient.Reply r = vault.send("DELETE", "/owners/" + ownerId + "/devices/" + device.deviceId(), token, null);
        assertEquals(204, r.status());
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (deviceClient.isConnected() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertFalse(deviceClient.isConnected(), "Mosquitto kicks the connection of a deleted client");
        MqttException refused = null;
        while (refused == null && System.nanoTime() < deadline) {
            try {
                connect(device.deviceId(), device.credential()).disconnect().waitForCompletion(10_000);
                Thread.sleep(200);
            } catch (MqttException e) {
                refused = e;
            }
        }
        assertNotNull(refused, "the unpaired device's credential no longer logs in");
        assertTrue(refused.getReasonCode() == 0x86 || refused.getReasonCode() == 0x87,
                "bad user name or password / not authorized, was " + refused.getReasonCode());
    }

    @Test
    @Order(4)
    void bothGatewayConnectionsConnectedExactlyOnceInTheWholeRun() throws Exception {
        assertEquals(1, mosquitto.connects(DynsecMosquitto.GATEWAY), "ingest connection (persistent session)");
        assertEquals(1, mosquitto.connects(DynsecMosquitto.GATEWAY + "-receipts"), "receipt connection");
        assertEquals(0, mosquitto.takeovers(DynsecMosquitto.GATEWAY));
        assertEquals(0, mosquitto.takeovers(DynsecMosquitto.GATEWAY + "-receipts"));
        assertTrue(new GatewayProgress(stack.gatewayManagementUrl()).read() != null, "the gateway still answers");
    }

    private static MqttAsyncClient connect(UUID deviceId, String credential) throws MqttException {
        MqttAsyncClient c = new MqttAsyncClient(stack.mqttUrl(), deviceId.toString(), new MemoryPersistence());
        c.setCallback(new Receipts());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setUserName(deviceId.toString());
        o.setPassword(credential.getBytes(StandardCharsets.UTF_8));
        o.setAutomaticReconnect(false);
        try {
            c.connect(o).waitForCompletion(30_000);
        } catch (MqttException e) {
            try {
                c.close(true);
            } catch (MqttException ignored) {
                // not connected
            }
            throw e;
        }
        return c;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Collects the receipts a device receives. */
    private static final class Receipts implements MqttCallback {
        @Override
        public void messageArrived(String topic, MqttMessage message) throws Exception {
            receipts.add(JSON.readTree(message.getPayload()));
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }
}
