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
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitalvault.deploy.broker.TestDevices.PairedDevice;
import org.vitalvault.deploy.broker.TestMqtt.Inbox;
import org.vitalvault.wire.Topics;

/**
 * The broker's authentication and topic permissions, through real Paho MQTT 5 clients against one
 * broker shared by the class, with one gateway subscribed to {@code $share/vault-gw/readings/+}.
 */
class EmbeddedBrokerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int GRANTED_QOS_1 = 0x01;
    private static final int NO_MATCHING_SUBSCRIBERS = 0x10;
    private static final int CLIENT_IDENTIFIER_NOT_VALID = 0x85;
    private static final int BAD_USER_NAME_OR_PASSWORD = 0x86;
    private static final int NOT_AUTHORIZED = 0x87;

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
        gateway.connect(serviceOptions());
        assertEquals(GRANTED_QOS_1, subscribe(gateway, Topics.sharedReadings(Topics.GATEWAY_SHARE_GROUP)));
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

            assertTrue(GATEWAY_INBOX.await(device.readings(), payload, TIMEOUT));
        } finally {
            TestMqtt.closeQuietly(client);
        }
    }

    @Test
    void deviceCannotPublishToAnotherDevicesTopic() throws Exception {
        PairedDevice attacker = devices.pair();
        PairedDevice victim = devices.pair();
        String forged = "forged-" + UUID.randomUUID();
        String genuine = "genuine-" + UUID.randomUUID();
        MqttClient client = TestMqtt.connectDevice(broker, attacker);
        Inbox attackerInbox = new Inbox();
        client.setCallback(attackerInbox);
        try {
            // HiveMQ CE answers PUBACK "not authorized", then DISCONNECT "not authorized".
            client.getTopic(victim.readings()).publish(TestMqtt.qos1(forged));

            assertEquals(NOT_AUTHORIZED, attackerInbox.awaitServerDisconnect(TIMEOUT));
        } finally {
            TestMqtt.closeQuietly(client);
        }
        MqttClient reconnected = TestMqtt.connectDevice(broker, attacker);
        try {
            // Sent after the refused one: once it has arrived, the refused one would have too.
            assertEquals(0, TestMqtt.publishQos1(reconnected, attacker.readings(), genuine));

            assertTrue(GATEWAY_INBOX.await(attacker.readings(), genuine, TIMEOUT));
            assertFalse(GATEWAY_INBOX.containsPayload(forged));
        } finally {
            TestMqtt.closeQuietly(reconnected);
        }
    }

    @Test
    void deviceMayPublishToItsCborAndJsonTopics() throws Exception {
        PairedDevice device = devices.pair();
        MqttClient client = TestMqtt.connectDevice(broker, device);
        try {
            // Accepted; nobody in this test subscribes to these topics.
            assertEquals(NO_MATCHING_SUBSCRIBERS, TestMqtt.publishQos1(client, device.readings() + "/cbor", "c"));
            assertEquals(NO_MATCHING_SUBSCRIBERS, TestMqtt.publishQos1(client, device.readings() + "/json", "j"));
        } finally {
            TestMqtt.closeQuietly(client);
        }
    }

    @Test
    void retainedReadingIsRefused() throws Exception {
        PairedDevice device = devices.pair();
        MqttClient client = TestMqtt.connectDevice(broker, device);
        Inbox inbox = new Inbox();
        client.setCallback(inbox);
        try {
            client.getTopic(device.readings()).publish("r".getBytes(StandardCharsets.UTF_8), 1, true);

            assertEquals(NOT_AUTHORIZED, inbox.awaitServerDisconnect(TIMEOUT));
        } finally {
            TestMqtt.closeQuietly(client);
        }
    }

    @Test
    void deviceReceivesItsReceiptsButCannotSubscribeToOtherTopics() throws Exception {
        PairedDevice device = devices.pair();
        PairedDevice other = devices.pair();
        MqttClient client = TestMqtt.connectDevice(broker, device);
        Inbox inbox = new Inbox();
        client.setCallback(inbox);
        try {
            assertEquals(GRANTED_QOS_1, subscribe(client, device.receipts()));
            assertEquals(NOT_AUTHORIZED, subscribe(client, other.receipts()));
            assertEquals(NOT_AUTHORIZED, subscribe(client, Topics.ALL_READINGS));
            assertEquals(NOT_AUTHORIZED, subscribe(client, Topics.sharedReadings(Topics.GATEWAY_SHARE_GROUP)));

            assertEquals(0, TestMqtt.publishQos1(gateway, device.receipts(), "receipt-1"));

            assertTrue(inbox.await(device.receipts(), "receipt-1", TIMEOUT));
        } finally {
            TestMqtt.closeQuietly(client);
        }
    }

    @Test
    void serviceMayUseOnlyItsOwnShareGroup() throws Exception {
        MqttClient service = TestMqtt.client(broker, "vault-gw-" + UUID.randomUUID());
        try {
            service.connect(serviceOptions());

            assertEquals(GRANTED_QOS_1, subscribe(service, Topics.ALL_READINGS));
            assertEquals(GRANTED_QOS_1, subscribe(service, Topics.share(Topics.GATEWAY_SHARE_GROUP) + Topics.ALL_READINGS + "/cbor"));
            assertEquals(NOT_AUTHORIZED, subscribe(service, Topics.sharedReadings("other-group")));
            assertEquals(NOT_AUTHORIZED, subscribe(service, Topics.ALL_RECEIPTS));
        } finally {
            TestMqtt.closeQuietly(service);
        }
    }

    @Test
    void wrongPasswordIsRefused() throws Exception {
        PairedDevice device = devices.pair();
        MqttClient client = TestMqtt.client(broker, device.id());
        try {
            MqttException refused = assertThrows(MqttException.class, () -> client.connect(
                    TestMqtt.options(device.id(), "not-the-secret".getBytes(StandardCharsets.UTF_8))));

            assertEquals(BAD_USER_NAME_OR_PASSWORD, refused.getReasonCode());
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

            assertEquals(BAD_USER_NAME_OR_PASSWORD, refused.getReasonCode());
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

            assertEquals(CLIENT_IDENTIFIER_NOT_VALID, refused.getReasonCode());
        } finally {
            TestMqtt.closeQuietly(client);
        }
    }

    @Test
    void returningGatewayGetsMoreThanFiftyQueuedMessagesBeforeAcknowledging() throws Exception {
        PairedDevice device = devices.pair();
        String clientId = "vault-gw-backlog-" + UUID.randomUUID();
        MqttConnectionOptions persistent = serviceOptions();
        persistent.setCleanStart(false);
        persistent.setSessionExpiryInterval(600L);
        MqttClient away = TestMqtt.client(broker, clientId);
        away.connect(persistent);
        subscribe(away, device.readings());
        away.disconnect();
        away.close();
        int backlog = 300;
        MqttClient client = TestMqtt.connectDevice(broker, device);
        for (int i = 0; i < backlog; i++) {
            assertEquals(0, TestMqtt.publishQos1(client, device.readings(), "m" + i));
        }
        TestMqtt.closeQuietly(client);

        MqttClient returning = TestMqtt.client(broker, clientId);
        Inbox inbox = new Inbox();
        returning.setCallback(inbox);
        returning.setManualAcks(true); // acknowledges nothing: all it gets is one in-flight window
        try {
            returning.connect(persistent);

            assertTrue(inbox.awaitCount(device.readings(), backlog, TIMEOUT),
                    "got " + inbox.count(device.readings()) + " of " + backlog
                            + " unacknowledged; HiveMQ's default in-flight window is 50");
        } finally {
            TestMqtt.closeQuietly(returning);
        }
    }

    private static MqttConnectionOptions serviceOptions() {
        return TestMqtt.options(TestDevices.SERVICE_USER, TestDevices.SERVICE_PASSWORD);
    }

    private static int subscribe(MqttClient client, String topicFilter) throws MqttException {
        IMqttToken token = client.subscribe(new MqttSubscription[] {new MqttSubscription(topicFilter, 1)});
        return token.getReasonCodes()[0];
    }
}
