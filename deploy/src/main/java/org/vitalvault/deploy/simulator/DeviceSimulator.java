package org.vitalvault.deploy.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * One simulated sensor: connects with its own credential and publishes SenML JSON packs with QoS 1
 * to {@code readings/{deviceId}}, each pack a few readings spaced by the device's sample interval.
 */
final class DeviceSimulator {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Fleet.SimDevice device;
    private final VitalSign vital;
    private final int readingsPerPack;
    private final double sampleSeconds;
    private final Random random;
    private final AtomicLong published;
    private MqttAsyncClient client;

    DeviceSimulator(Fleet.SimDevice device, VitalSign vital, int readingsPerPack, double sampleSeconds, Random random,
                    AtomicLong published) {
        this.device = device;
        this.vital = vital;
        this.readingsPerPack = readingsPerPack;
        this.sampleSeconds = sampleSeconds;
        this.random = random;
        this.published = published;
    }

    static DeviceSimulator of(Fleet.SimDevice device, Random random, AtomicLong published) {
        return switch (device.kind()) {
            case "chest-strap" -> new DeviceSimulator(device, VitalSign.heartRate(random), 5, 1, random, published);
            case "pulse-oximeter" -> new DeviceSimulator(device, VitalSign.spo2(random), 1, 5, random, published);
            case "thermometer" -> new DeviceSimulator(device, VitalSign.bodyTemperature(random), 1, 30, random, published);
            case "respiration-band" -> new DeviceSimulator(device, VitalSign.respiratoryRate(random), 2, 5, random, published);
            default -> throw new IllegalArgumentException("unknown simulated device kind " + device.kind()
                    + "; one of " + Fleet.KINDS);
        };
    }

    /** Seconds between two packs. */
    double packIntervalSeconds() {
        return readingsPerPack * sampleSeconds;
    }

    void connect(String brokerUrl) throws MqttException {
        client = new MqttAsyncClient(brokerUrl, device.deviceId().toString(), new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName(device.deviceId().toString());
        options.setPassword(device.credential().getBytes(StandardCharsets.UTF_8));
        options.setCleanStart(true);
        options.setAutomaticReconnect(true);
        options.setKeepAliveInterval(30);
        client.connect(options).waitForCompletion(10_000);
    }

    /** Publishes one pack covering the last pack interval; silently skips while disconnected. */
    void publishPack() {
        if (client == null || !client.isConnected()) {
            return;
        }
        double end = System.currentTimeMillis() / 1000d;
        ArrayNode pack = JSON.createArrayNode();
        for (int i = 0; i < readingsPerPack; i++) {
            ObjectNode record = pack.addObject();
            if (i == 0) {
                record.put("bn", "urn:dev:uuid:" + device.deviceId() + ":");
                record.put("bt", Math.floor(end - (readingsPerPack - 1) * sampleSeconds));
                record.put("bu", vital.unit());
                record.put("n", vital.senmlName());
            } else {
                record.put("n", vital.senmlName());
                record.put("t", i * sampleSeconds);
            }
            record.put("v", vital.next(random));
        }
        try {
            MqttMessage message = new MqttMessage(JSON.writeValueAsBytes(pack), 1, false, new MqttProperties());
            message.getProperties().setContentType("application/senml+json");
            client.publish("readings/" + device.deviceId(), message);
            published.addAndGet(readingsPerPack);
        } catch (Exception e) {
            // A full in-flight window or a dropped link: this pack is skipped, as a real node without a buffer would.
        }
    }

    void disconnect() {
        if (client == null) {
            return;
        }
        try {
            if (client.isConnected()) {
                client.disconnect(2_000).waitForCompletion(3_000);
            }
            client.close();
        } catch (MqttException ignored) {
            // Shutting down anyway.
        }
    }
}
