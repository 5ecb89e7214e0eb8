package org.vitalvault.deploy.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.eclipse.paho.mqttv5.client.IMqttToken;
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
 * The audit checkpoint topic on the embedded broker (issue 17): only the vault's audit publisher
 * may publish there (retained), every authenticated client may read it, nobody may read more than it
 * through it. A fake checkpoint retained by anyone else would be what every new witness sees first.
 */
class AuditCheckpointTopicTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int GRANTED_QOS_1 = 0x01;
    private static final int NOT_AUTHORIZED = 0x87;
    private static final String CHECKPOINT = Topics.AUDIT_CHECKPOINT;

    @TempDir
    static Path brokerDir;

    private static TestDevices devices;
    private static EmbeddedBroker broker;

    @BeforeAll
    static void startBroker() {
        devices = TestPostgres.devices();
        broker = EmbeddedBroker.start(brokerDir, 0, devices.credentials());
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aDeviceCannotPublishAFakeCheckpoint() throws Exception {
        String genuine = "vitalvault.local/audit\n7\ngenuine-" + UUID.randomUUID() + "\n";
        MqttClient publisher = connect(TestDevices.AUDIT_USER, TestDevices.AUDIT_PASSWORD);
        try {
            assertTrue(TestMqtt.awaitPuback(publisher.getTopic(CHECKPOINT).publish(retained(genuine))) < 0x80,
                    "the audit publisher publishes the retained checkpoint");
        } finally {
            TestMqtt.closeQuietly(publisher);
        }

        PairedDevice attacker = devices.pair();
        String fake = "vitalvault.local/audit\n8\nfake-" + UUID.randomUUID() + "\n";
        for (boolean retain : new boolean[] {true, false}) {
            MqttClient device = TestMqtt.connectDevice(broker, attacker);
            Inbox inbox = new Inbox();
            device.setCallback(inbox);
            try {
                MqttMessage message = retained(fake);
                message.setRetained(retain);
                device.getTopic(CHECKPOINT).publish(message);

                assertEquals(NOT_AUTHORIZED, inbox.awaitServerDisconnect(TIMEOUT), "retain " + retain);
            } finally {
                TestMqtt.closeQuietly(device);
            }
        }

        // A witness arriving now gets the genuine checkpoint, and nothing the device sent.
        MqttClient witness = connect(TestDevices.WITNESS_USER, TestDevices.WITNESS_PASSWORD);
        Inbox seen = new Inbox();
        witness.setCallback(seen);
        try {
            assertEquals(GRANTED_QOS_1, subscribe(witness, CHECKPOINT));
            assertTrue(seen.await(CHECKPOINT, genuine, TIMEOUT));
            assertFalse(seen.containsPayload(fake));
        } finally {
            TestMqtt.closeQuietly(witness);
        }
    }

    @Test
    void theGatewayAndAWitnessCannotPublishACheckpointEither() throws Exception {
        for (String[] login : new String[][] {
                {TestDevices.SERVICE_USER, new String(TestDevices.SERVICE_PASSWORD, StandardCharsets.UTF_8)},
                {TestDevices.WITNESS_USER, new String(TestDevices.WITNESS_PASSWORD, StandardCharsets.UTF_8)}}) {
            MqttClient client = connect(login[0], login[1].getBytes(StandardCharsets.UTF_8));
            Inbox inbox = new Inbox();
            client.setCallback(inbox);
            try {
                client.getTopic(CHECKPOINT).publish(retained("vitalvault.local/audit\n9\nforged\n"));

                assertEquals(NOT_AUTHORIZED, inbox.awaitServerDisconnect(TIMEOUT), login[0]);
            } finally {
                TestMqtt.closeQuietly(client);
            }
        }
    }

    @Test
    void everyAuthenticatedClientMayReadTheCheckpointAndNothingWider() throws Exception {
        PairedDevice device = devices.pair();
        MqttClient deviceClient = TestMqtt.connectDevice(broker, device);
        MqttClient gateway = connect(TestDevices.SERVICE_USER, TestDevices.SERVICE_PASSWORD);
        MqttClient witness = connect(TestDevices.WITNESS_USER, TestDevices.WITNESS_PASSWORD);
        MqttClient publisher = connect(TestDevices.AUDIT_USER, TestDevices.AUDIT_PASSWORD);
        try {
            for (MqttClient reader : new MqttClient[] {deviceClient, gateway, witness, publisher}) {
                assertEquals(GRANTED_QOS_1, subscribe(reader, CHECKPOINT), reader.getClientId());
            }
            assertEquals(NOT_AUTHORIZED, subscribe(witness, "vitalvault/audit/#"));
            assertEquals(NOT_AUTHORIZED, subscribe(witness, "#"));
            assertEquals(NOT_AUTHORIZED, subscribe(witness, Topics.ALL_READINGS));
            assertEquals(NOT_AUTHORIZED, subscribe(witness, Topics.ALL_RECEIPTS));
            assertEquals(NOT_AUTHORIZED, subscribe(deviceClient, "vitalvault/#"));
        } finally {
            for (MqttClient c : new MqttClient[] {deviceClient, gateway, witness, publisher}) {
                TestMqtt.closeQuietly(c);
            }
        }
    }

    @Test
    void theAuditPublisherMayUseNoOtherTopic() throws Exception {
        PairedDevice device = devices.pair();
        MqttClient publisher = connect(TestDevices.AUDIT_USER, TestDevices.AUDIT_PASSWORD);
        Inbox inbox = new Inbox();
        publisher.setCallback(inbox);
        try {
            assertEquals(NOT_AUTHORIZED, subscribe(publisher, Topics.ALL_READINGS));
            assertEquals(NOT_AUTHORIZED, subscribe(publisher, Topics.ALL_RECEIPTS));

            publisher.getTopic(device.receipts()).publish(TestMqtt.qos1("forged receipt"));

            assertEquals(NOT_AUTHORIZED, inbox.awaitServerDisconnect(TIMEOUT));
        } finally {
            TestMqtt.closeQuietly(publisher);
        }
    }

    private static MqttClient connect(String user, byte[] password) throws MqttException {
        MqttClient client = TestMqtt.client(broker, user + "-" + UUID.randomUUID());
        client.connect(TestMqtt.options(user, password));
        return client;
    }

    private static MqttMessage retained(String payload) {
        MqttMessage message = TestMqtt.qos1(payload);
        message.setRetained(true);
        return message;
    }

    private static int subscribe(MqttClient client, String topicFilter) throws MqttException {
        IMqttToken token = client.subscribe(new MqttSubscription[] {new MqttSubscription(topicFilter, 1)});
        return token.getReasonCodes()[0];
    }
}
