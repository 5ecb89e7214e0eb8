package org.vitalvault.gateway.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitalvault.gateway.ingest.IngestPipeline;
import org.vitalvault.wire.Topics;

/** The Maximum Packet Size the gateway announces (vitalvault.gateway.mqtt.max-packet-size). */
class MaxPacketSizeTest {

    private static final int MAX = 81_920;

    @TempDir
    Path brokerDir;

    @Test
    void bothConnectionsAnnounceTheConfiguredMaximumPacketSize() {
        // The ingest connection and ReceiptPublisher both start from these options.
        assertEquals(MAX, settings("tcp://127.0.0.1:1", MAX).connectionOptions().getMaximumPacketSize());
        assertNull(settings("tcp://127.0.0.1:1", 0).connectionOptions().getMaximumPacketSize(),
                "0 announces no limit");
    }

    @Test
    void theBrokerNeverSendsTheGatewayAPacketLargerThanItsMaximum() throws Exception {
        List<String> settled = new CopyOnWriteArrayList<>();
        TestBroker.AckObserver observer = new TestBroker.AckObserver() {
            @Override
            public void acknowledged(String topic) {
                settled.add(topic);
            }

            @Override
            public void unmatched(int packetId) {
            }
        };
        try (TestBroker broker = TestBroker.start(brokerDir, "gw-max-packet", observer)) {
            IngestPipeline pipeline = TestPipelines.oneMessagePerBatch(id -> Optional.empty(), (e, b) -> { });
            pipeline.start();
            MqttIngestClient gateway = new MqttIngestClient(settings(broker.url(), MAX), pipeline, Clock.systemUTC());
            MqttClient device = new MqttClient(broker.url(), "device", new MemoryPersistence());
            try {
                gateway.start();
                awaitTrue(() -> broker.subacks() >= 1);
                device.connect(new MqttConnectionOptions());
                UUID big = UUID.randomUUID();
                UUID small = UUID.randomUUID();
                // The broker here has no limit of its own and takes the large publish.
                device.publish(Topics.readings(big), qos1(new byte[MAX + 1]));
                device.publish(Topics.readings(small), qos1("[]".getBytes(StandardCharsets.UTF_8)));
                // Unknown devices: each message that reaches the gateway is rejected and acknowledged.
                assertTrue(awaitTrue(() -> settled.contains(Topics.readings(small))), "the small message arrives");
                assertEquals(List.of(Topics.readings(small)), settled, "the large one never reached the gateway");
            } finally {
                gateway.stop();
                pipeline.stop(Duration.ofSeconds(5));
                device.disconnect();
                device.close();
            }
        }
    }

    private static MqttMessage qos1(byte[] payload) {
        MqttMessage message = new MqttMessage(payload);
        message.setQos(1);
        return message;
    }

    private static MqttIngestClient.Settings settings(String url, int maxPacketSize) {
        return new MqttIngestClient.Settings(url, "gw-max-packet", null, null, Topics.GATEWAY_SHARE_GROUP, 100,
                Duration.ofHours(1), Duration.ZERO, maxPacketSize);
    }

    private static boolean awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }
}
