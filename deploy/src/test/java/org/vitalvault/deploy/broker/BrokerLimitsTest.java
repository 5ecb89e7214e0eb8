package org.vitalvault.deploy.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitalvault.deploy.broker.TestDevices.PairedDevice;
import org.vitalvault.deploy.broker.TestMqtt.Inbox;
import org.vitalvault.wire.Topics;

/**
 * The broker's limits against hostile devices (docs/decisions/033), through real MQTT clients:
 * the maximum packet size, the per-device publish quota and QoS 0 readings. One broker for the
 * class with a small quota (5 messages/s, 20,000 bytes/s, burst 2 s: 10 messages, and the byte
 * bucket's floor of one largest packet); each test pairs its own devices, so buckets are fresh.
 */
class BrokerLimitsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int PACKET_TOO_LARGE = 0x95;
    private static final int QUOTA_EXCEEDED = 0x97;
    private static final DevicePublishQuota QUOTA = new DevicePublishQuota(5, 20_000, Duration.ofSeconds(2));

    @TempDir
    static Path brokerDir;

    private static TestDevices devices;
    private static EmbeddedBroker broker;
    private static MqttClient gateway;
    private static final Inbox GATEWAY_INBOX = new Inbox();

    @BeforeAll
    static void startBrokerAndGateway() throws MqttException {
        devices = TestPostgres.devices();
        broker = EmbeddedBroker.start(brokerDir, 0, devices.credentials(), QUOTA);
        gateway = TestMqtt.client(broker, "vault-gw-" + UUID.randomUUID());
        gateway.setCallback(GATEWAY_INBOX);
        gateway.connect(TestMqtt.options(TestDevices.SERVICE_USER, TestDevices.SERVICE_PASSWORD));
        gateway.subscribe(new MqttSubscription[] {
                new MqttSubscription(Topics.sharedReadings(Topics.GATEWAY_SHARE_GROUP), 1)});
    }

    @AfterAll
    static void stopBroker() {
        if (gateway != null) {
            TestMqtt.closeQuietly(gateway);
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void theBrokerAnnouncesItsMaximumPacketSizeInConnack() throws Exception {
        PairedDevice device = devices.pair();
        RawMqtt.Connack[] connack = new RawMqtt.Connack[1];
        try (RawMqtt client = RawMqtt.connect("127.0.0.1", broker.port(), device.id(), device.id(), device.secret(),
                connack)) {
            assertEquals(0, connack[0].reasonCode());
            assertEquals(81_920, connack[0].maximumPacketSize());
        }
        assertTrue(Files.readString(brokerDir.resolve("conf/config.xml")).contains("<max-packet-size>81920<"));
    }

    @Test
    void a200MegabytePublishIsRefusedFromItsHeaderWithoutTheBrokerReadingItsBody() throws Exception {
        PairedDevice device = devices.pair();
        RawMqtt.Connack[] connack = new RawMqtt.Connack[1];
        long heapBefore = usedHeap();
        RawMqtt.Outcome outcome;
        try (RawMqtt client = RawMqtt.connect("127.0.0.1", broker.port(), device.id(), device.id(), device.secret(),
                connack)) {
            outcome = client.publishQos1(device.readings(), 200L * 1024 * 1024, "bomb".getBytes(StandardCharsets.UTF_8));
        }
        long heapGrowth = usedHeap() - heapBefore;

        assertTrue(outcome.packetType() == -1
                        || (outcome.packetType() == RawMqtt.DISCONNECT && outcome.reasonCode() == PACKET_TOO_LARGE),
                "disconnected with 0x95 or closed, was " + outcome);
        // The broker closed the connection after the fixed header: the attacker could not even push
        // 32 MB into the socket (kernel buffers take a few MB), so the broker never held 200 MB.
        assertTrue(outcome.bytesWritten() < 32L * 1024 * 1024, "bytes taken before the close: " + outcome.bytesWritten());
        assertTrue(heapGrowth < 64L * 1024 * 1024, "broker JVM heap grew by " + heapGrowth / (1024 * 1024) + " MB");

        // The broker is fine and the device may come back with a normal message.
        MqttClient again = TestMqtt.connectDevice(broker, device);
        try {
            assertEquals(0, TestMqtt.publishQos1(again, device.readings(), "after-the-bomb-" + device.id()));
            assertTrue(GATEWAY_INBOX.await(device.readings(), "after-the-bomb-" + device.id(), TIMEOUT));
        } finally {
            TestMqtt.closeQuietly(again);
        }
    }

    @Test
    void aPublishOfTheGatewaysLargestCoseMessageFitsUnderTheLimit() throws Exception {
        PairedDevice device = devices.pair();
        byte[] payload = new byte[65_536 + 1024]; // the gateway's payload limit plus its COSE envelope
        Arrays.fill(payload, (byte) 'x');
        MqttClient client = TestMqtt.connectDevice(broker, device);
        try {
            MqttMessage message = new MqttMessage(payload);
            message.setQos(1);

            assertEquals(0, TestMqtt.awaitPuback(client.getTopic(device.readings()).publish(message)));
        } finally {
            TestMqtt.closeQuietly(client);
        }
    }

    @Test
    void aDeviceOverItsMessageQuotaGetsQuotaExceededAndItsMessagesNeverReachTheGateway() throws Exception {
        PairedDevice flooder = devices.pair();
        long refusedBefore = broker.publishesOverQuota();
        MqttClient client = TestMqtt.connectDevice(broker, flooder);
        int accepted = 0;
        int refused = 0;
        long started = System.nanoTime();
        try {
            for (int i = 0; i < 40; i++) {
                int code = TestMqtt.publishQos1(client, flooder.readings(), "flood-" + i);
                if (code == QUOTA_EXCEEDED) {
                    refused++;
                } else {
                    assertEquals(0, code);
                    accepted++;
                }
            }
            assertTrue(client.isConnected(), "a device over quota stays connected (MQTT 5)");
        } finally {
            TestMqtt.closeQuietly(client);
        }
        double seconds = (System.nanoTime() - started) / 1e9;

        long allowed = 10 + (long) Math.ceil(5 * seconds);
        assertTrue(accepted <= allowed, accepted + " accepted in " + seconds + " s; at most " + allowed);
        assertTrue(accepted >= 10, "the whole burst of 10 is accepted, was " + accepted);
        assertEquals(40 - accepted, refused);
        assertEquals(refused, broker.publishesOverQuota() - refusedBefore, "each refusal is counted");
        assertTrue(GATEWAY_INBOX.awaitCount(flooder.readings(), accepted, TIMEOUT));
        Thread.sleep(200);
        assertEquals(accepted, GATEWAY_INBOX.count(flooder.readings()), "refused messages never reach the gateway");
    }

    @Test
    void aDeviceOverItsByteQuotaGetsQuotaExceeded() throws Exception {
        PairedDevice device = devices.pair();
        byte[] payload = new byte[60_000];
        MqttClient client = TestMqtt.connectDevice(broker, device);
        try {
            MqttMessage message = new MqttMessage(payload);
            message.setQos(1);

            // The byte bucket holds one largest packet (81,920 bytes): the first fits, the second does not.
            assertEquals(0, TestMqtt.awaitPuback(client.getTopic(device.readings()).publish(message)));
            assertEquals(QUOTA_EXCEEDED, TestMqtt.awaitPuback(client.getTopic(device.readings()).publish(message)));
        } finally {
            TestMqtt.closeQuietly(client);
        }
    }

    @Test
    void reconnectingDoesNotRefillTheQuotaAndOtherDevicesKeepTheirs() throws Exception {
        PairedDevice flooder = devices.pair();
        PairedDevice honest = devices.pair();
        MqttClient client = TestMqtt.connectDevice(broker, flooder);
        long emptied;
        try {
            int code = 0;
            for (int i = 0; i < 40 && code != QUOTA_EXCEEDED; i++) {
                code = TestMqtt.publishQos1(client, flooder.readings(), "f" + i);
            }
            assertEquals(QUOTA_EXCEEDED, code);
            emptied = System.nanoTime();
        } finally {
            TestMqtt.closeQuietly(client);
        }
        MqttClient reconnected = TestMqtt.connectDevice(broker, flooder);
        MqttClient other = TestMqtt.connectDevice(broker, honest);
        try {
            int acceptedAfterReconnect = 0;
            for (int i = 0; i < 10; i++) {
                acceptedAfterReconnect += TestMqtt.publishQos1(reconnected, flooder.readings(), "again" + i) == 0 ? 1 : 0;
            }
            double seconds = (System.nanoTime() - emptied) / 1e9;

            // A fresh bucket would take all 10; the old one only what refilled meanwhile (5/s).
            assertTrue(acceptedAfterReconnect <= Math.floor(5 * seconds) + 1,
                    acceptedAfterReconnect + " accepted " + seconds + " s after the bucket was emptied");
            assertEquals(0, TestMqtt.publishQos1(other, honest.readings(), "honest-" + honest.id()));
        } finally {
            TestMqtt.closeQuietly(reconnected);
            TestMqtt.closeQuietly(other);
        }
    }

    @Test
    void aQos0ReadingIsDroppedAtTheBrokerAndCounted() throws Exception {
        PairedDevice device = devices.pair();
        long droppedBefore = broker.qos0PublishesDropped();
        String lost = "qos0-" + device.id();
        String kept = "qos1-" + device.id();
        MqttClient client = TestMqtt.connectDevice(broker, device);
        try {
            client.publish(device.readings(), lost.getBytes(StandardCharsets.UTF_8), 0, false);
            assertEquals(0, TestMqtt.publishQos1(client, device.readings(), kept));

            // Published after the QoS 0 one on the same connection: once it arrived, the other would have.
            assertTrue(GATEWAY_INBOX.await(device.readings(), kept, TIMEOUT));
            assertFalse(GATEWAY_INBOX.contains(device.readings(), lost));
            assertEquals(1, broker.qos0PublishesDropped() - droppedBefore);
            assertTrue(client.isConnected());
        } finally {
            TestMqtt.closeQuietly(client);
        }
    }

    private static long usedHeap() {
        Runtime r = Runtime.getRuntime();
        System.gc();
        return r.totalMemory() - r.freeMemory();
    }
}
