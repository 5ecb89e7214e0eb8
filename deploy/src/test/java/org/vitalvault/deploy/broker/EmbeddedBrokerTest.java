package org.vitalvault.deploy.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitalvault.deploy.broker.TestDevices.PairedDevice;
import org.vitalvault.deploy.broker.TestMqtt.Inbox;

/**
 * The broker's authentication and topic permissions, through real Paho MQTT 5 clients against one
 * broker shared by the class, with one gateway subscribed to {@code $share/vault-gw/readings/+}.
 */
class EmbeddedBrokerTest {

    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(10);
    private static final int REASON_NOT_AUTHORIZED = 0x87;
    private static final int REASON_BAD_USER_NAME_OR_PASSWORD = 0x86;
    private static final int REASON_CLIENT_IDENTIFIER_NOT_VALID = 0x85;

    @TempDir
    static Path brokerDir;

    private static TestDevices devices;
    private static EmbeddedBroker broker;
    private static MqttClient gateway;
    private static final Inbox GATEWAY_INBOX = new Inbox();

    @BeforeAll
    static void startBrokerAndGateway() throws MqttException {
        devices = TestPostgres.devices();
        broker = EmbeddedBroker.start(brokerDir, 0, devices.credentials());
        gateway = TestMqtt.client(broker, "vault-gw-" + UUID.randomUUID());
        gateway.setCallback(GATEWAY_INBOX);
        gateway.connect(TestMqtt.options(TestDevices.SERVICE_USER, TestDevices.SERVICE_PASSWORD));
        IMqttToken subscribed = gateway.subscribe(new MqttSubscription[] {
            new MqttSubscription("$share/vault-gw/readings/+", 1)});
        assertEquals(1, subscribed.getReasonCodes()[0], "granted QoS 1");
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
    void deviceCanPublishToItsOwnTopicAndServiceReceivesIt() throws Exception {
        PairedDevice device = devices.pair();
        MqttClient client = TestMqtt.connectDevice(broker, device);
        try {
            String payload = "[{\"n\":\"heart_rate\",\"u\":\"beat/min\",\"v\":72}]";

            assertEquals(0, TestMqtt.publishQos1(client, device.readings(), payload));

            assertTrue(GATEWAY_INBOX.await(device.readings(), payload, DELIVERY_TIMEOUT));
        } finally {
            TestMqtt.closeQuietly(client);
        }
    }

    @Test
    void deviceCannotPublishToAnotherDevicesTopic() throws Exception {
        PairedDevice attacker = devices.pair();
        PairedDevice victim = devices.pair();
        MqttClient client = TestMqtt.connectDevice(broker, attacker);
        try {
            String forged = "forged-" + UUID.randomUUID();
            String genuine = "genuine-" + UUID.randomUUID();

            int reasonCode = TestMqtt.publishQos1(client, victim.readings(), forged);
            // Published after the refused one on the same connection, so once it has arrived the
            // refused one would have arrived too, had the broker forwarded it.
            assertEquals(0, TestMqtt.publishQos1(client, attacker.readings(), genuine));

            assertEquals(REASON_NOT_AUTHORIZED, reasonCode);
            assertTrue(client.isConnected(), "HiveMQ answers with a PUBACK, it does not disconnect");
            assertTrue(GATEWAY_INBOX.await(attacker.readings(), genuine, DELIVERY_TIMEOUT));
            assertFalse(GATEWAY_INBOX.containsPayload(forged));
        } finally {
            TestMqtt.closeQuietly(client);
        }
    }

    @Test
    void deviceMayPublishToItsCborAndJsonTopicsButNotRetained() throws Exception {
        PairedDevice device = devices.pair();
        MqttClient client = TestMqtt.connectDevice(broker, device);
        try {
            assertEquals(0, TestMqtt.publishQos1(client, device.readings() + "/cbor", "c"));
            assertEquals(0, TestMqtt.publishQos1(client, device.readings() + "/json", "j"));
            IMqttToken retained = client.getTopic(device.readings())
                    .publish("r".getBytes(StandardCharsets.UTF_8), 1, true);
            retained.waitForCompletion(10_000);

            assertEquals(REASON_NOT_AUTHORIZED, retained.getReasonCodes()[0]);
        } finally {
            TestMqtt.closeQuietly(client);
        }
    }

    @Test
    void deviceReceivesItsReceiptsButCannotSubscribeToOthers() throws Exception {
        PairedDevice device = devices.pair();
        PairedDevice other = devices.pair();
        MqttClient client = TestMqtt.connectDevice(broker, device);
        Inbox inbox = new Inbox();
        client.setCallback(inbox);
        try {
            int own = client.subscribe(new MqttSubscription[] {
                new MqttSubscription(device.receipts(), 1)}).getReasonCodes()[0];
            int foreign = client.subscribe(new MqttSubscription[] {
                new MqttSubscription(other.receipts(), 1)}).getReasonCodes()[0];
            int everything = client.subscribe(new MqttSubscription[] {
                new MqttSubscription("readings/+", 1)}).getReasonCodes()[0];
            assertEquals(0, TestMqtt.publishQos1(gateway, device.receipts(), "receipt-1"));

            assertEquals(1, own);
            assertEquals(REASON_NOT_AUTHORIZED, foreign);
            assertEquals(REASON_NOT_AUTHORIZED, everything);
            assertTrue(inbox.await(device.receipts(), "receipt-1", DELIVERY_TIMEOUT));
        } finally {
            TestMqtt.closeQuietly(client);
        }
    }

    @Test
    void wrongPasswordIsRefused() throws Exception {
        PairedDevice device = devices.pair();
        MqttClient client = TestMqtt.client(broker, device.id());
        try {
            MqttException refused = assertThrows(MqttException.class, () -> client.connect(
                    TestMqtt.options(device.id(), "not-the-secret".getBytes(StandardCharsets.UTF_8))));

            assertEquals(REASON_BAD_USER_NAME_OR_PASSWORD, refused.getReasonCode());
        } finally {
            TestMqtt.closeQuietly(client);
        }
    }

    @Test
    void unpairedDeviceIsRefused() throws Exception {
        PairedDevice device = devices.pair();
        devices.unpair(device);
        MqttClient client = TestMqtt.client(broker, device.id());
        try {
            MqttException refused = assertThrows(MqttException.class,
                    () -> client.connect(TestMqtt.options(device.id(), device.secret())));

            assertEquals(REASON_BAD_USER_NAME_OR_PASSWORD, refused.getReasonCode());
        } finally {
            TestMqtt.closeQuietly(client);
        }
    }

    @Test
    void deviceMustUseItsDeviceIdAsClientId() throws Exception {
        PairedDevice device = devices.pair();
        MqttClient client = TestMqtt.client(broker, "vault-gw-takeover");
        try {
            MqttException refused = assertThrows(MqttException.class,
                    () -> client.connect(TestMqtt.options(device.id(), device.secret())));

            assertEquals(REASON_CLIENT_IDENTIFIER_NOT_VALID, refused.getReasonCode());
        } finally {
            TestMqtt.closeQuietly(client);
        }
    }

    @Test
    void brokerSendsMoreThanFiftyUnacknowledgedQos1MessagesToOneClient() throws Exception {
        PairedDevice device = devices.pair();
        MqttClient slowGateway = TestMqtt.client(broker, "vault-gw-slow-" + UUID.randomUUID());
        Inbox inbox = new Inbox();
        slowGateway.setCallback(inbox);
        slowGateway.setManualAcks(true); // never acknowledges: every message stays in flight
        slowGateway.connect(TestMqtt.options(TestDevices.SERVICE_USER, TestDevices.SERVICE_PASSWORD));
        slowGateway.subscribe(new MqttSubscription[] {new MqttSubscription(device.readings(), 1)});
        MqttClient client = TestMqtt.connectDevice(broker, device);
        try {
            int messages = 200;
            for (int i = 0; i < messages; i++) {
                client.getTopic(device.readings()).publish(TestMqtt.qos1("m" + i));
            }

            assertTrue(inbox.awaitCount(device.readings(), messages, DELIVERY_TIMEOUT),
                    "received only " + inbox.count(device.readings()) + " of " + messages
                            + " without acknowledging (HiveMQ's default window is 50)");
        } finally {
            TestMqtt.closeQuietly(client);
            TestMqtt.closeQuietly(slowGateway);
        }
    }
}
