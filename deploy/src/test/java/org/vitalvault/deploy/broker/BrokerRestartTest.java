package org.vitalvault.deploy.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitalvault.deploy.broker.TestDevices.PairedDevice;
import org.vitalvault.deploy.broker.TestMqtt.Inbox;
import org.vitalvault.wire.Topics;

class BrokerRestartTest {

    private static final String GATEWAY_CLIENT_ID = "vault-gw-restart";

    @TempDir
    Path brokerDir;

    @Test
    void queuedQos1MessageSurvivesBrokerRestart() throws Exception {
        TestDevices devices = TestPostgres.devices();
        PairedDevice device = devices.pair();
        String payload = "[{\"n\":\"spo2\",\"u\":\"%\",\"v\":97}]";

        EmbeddedBroker broker = EmbeddedBroker.start(brokerDir, 0, devices.credentials());
        int port = broker.port();
        try {
            MqttClient gateway = TestMqtt.client(broker, GATEWAY_CLIENT_ID);
            gateway.connect(persistentGatewaySession());
            gateway.subscribe(new MqttSubscription[] {new MqttSubscription(Topics.sharedReadings(Topics.GATEWAY_SHARE_GROUP), 1)});
            gateway.disconnect();
            gateway.close();

            MqttClient client = TestMqtt.connectDevice(broker, device);
            assertEquals(0, TestMqtt.publishQos1(client, device.readings(), payload));
            TestMqtt.closeQuietly(client);
        } finally {
            broker.close();
        }

        EmbeddedBroker restarted = EmbeddedBroker.start(brokerDir, port, devices.credentials());
        try {
            MqttClient gateway = TestMqtt.client(restarted, GATEWAY_CLIENT_ID);
            Inbox inbox = new Inbox();
            gateway.setCallback(inbox);
            gateway.connect(persistentGatewaySession());

            assertTrue(inbox.await(device.readings(), payload, Duration.ofSeconds(10)),
                    "queued message after restart; received " + inbox.messages());
            TestMqtt.closeQuietly(gateway);
        } finally {
            restarted.close();
        }
    }

    private static MqttConnectionOptions persistentGatewaySession() {
        MqttConnectionOptions options = TestMqtt.options(TestDevices.SERVICE_USER, TestDevices.SERVICE_PASSWORD);
        options.setCleanStart(false);
        options.setSessionExpiryInterval(3_600L);
        return options;
    }
}
