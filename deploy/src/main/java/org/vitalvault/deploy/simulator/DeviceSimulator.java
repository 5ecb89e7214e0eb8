package org.vitalvault.deploy.simulator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.vitalvault.cose.CoseMac0;
import org.vitalvault.senml.SenmlCborEncoder;
import org.vitalvault.senml.SenmlJsonEncoder;
import org.vitalvault.senml.SenmlRecord;
import org.vitalvault.deploy.stack.PahoClients;
import org.vitalvault.wire.Topics;

/**
 * One simulated sensor: connects with its own credential and publishes SenML packs (JSON or CBOR,
 * optionally inside COSE_Mac0) with QoS 1 to {@code readings/{deviceId}}, each pack a few readings
 * spaced by the device's sample interval. On request it sends some packs wrong on purpose, and
 * holds some back to send them later, out of order — as a node coming back from an offline spell.
 */
final class DeviceSimulator {

    private final Fleet.SimDevice device;
    private final VitalSign vital;
    private final int readingsPerPack;
    private final double sampleSeconds;
    private final boolean cbor;
    private final SimulationSettings settings;
    private final Random random;
    private final AtomicLong published;
    private final AtomicLong sentBad;
    private final Deque<List<SenmlRecord>> heldBack = new ArrayDeque<>();
    private final SenmlJsonEncoder jsonEncoder = new SenmlJsonEncoder();
    private final SenmlCborEncoder cborEncoder = new SenmlCborEncoder();
    private MqttAsyncClient client;

    private DeviceSimulator(Fleet.SimDevice device, VitalSign vital, int readingsPerPack, double sampleSeconds,
                            SimulationSettings settings, Random random, AtomicLong published, AtomicLong sentBad) {
        this.device = device;
        this.vital = vital;
        this.readingsPerPack = readingsPerPack * settings.packScale();
        this.sampleSeconds = sampleSeconds;
        this.settings = settings;
        this.cbor = settings.format().equals("cbor") || (settings.format().equals("mixed") && random.nextBoolean());
        this.random = random;
        this.published = published;
        this.sentBad = sentBad;
    }

    static DeviceSimulator of(Fleet.SimDevice d, SimulationSettings s, Random r, AtomicLong published, AtomicLong bad) {
        return switch (d.kind()) {
            case "chest-strap" -> new DeviceSimulator(d, VitalSign.heartRate(r), 5, 1, s, r, published, bad);
            case "pulse-oximeter" -> new DeviceSimulator(d, VitalSign.spo2(r), 1, 5, s, r, published, bad);
            case "thermometer" -> new DeviceSimulator(d, VitalSign.bodyTemperature(r), 1, 30, s, r, published, bad);
            case "respiration-band" -> new DeviceSimulator(d, VitalSign.respiratoryRate(r), 2, 5, s, r, published, bad);
            default -> throw new IllegalArgumentException("unknown simulated device kind " + d.kind()
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
        List<SenmlRecord> records = new ArrayList<>(readingsPerPack);
        for (int i = 0; i < readingsPerPack; i++) {
            double t = Math.floor(end) - (readingsPerPack - 1 - i) * sampleSeconds;
            records.add(new SenmlRecord(vital.senmlName(), vital.unit(), vital.next(random), t));
        }
        if (random.nextDouble() < settings.lateShare()) {
            heldBack.addLast(records);
            return;
        }
        boolean bad = random.nextDouble() < settings.badShare();
        send(bad ? spoil(records) : records, bad);
        // Back online: what was held back goes out now, newest first — out of order.
        while (!heldBack.isEmpty() && random.nextInt(4) == 0) {
            send(heldBack.pollLast(), false);
        }
    }

    private List<SenmlRecord> spoil(List<SenmlRecord> records) {
        List<SenmlRecord> spoiled = new ArrayList<>(records);
        SenmlRecord r = spoiled.get(random.nextInt(spoiled.size()));
        SenmlRecord wrong = switch (random.nextInt(3)) {
            case 0 -> new SenmlRecord(r.name(), r.unit(), 9_999, r.timeSeconds());          // implausible value
            case 1 -> new SenmlRecord(r.name(), "kg", r.value(), r.timeSeconds());          // unit of another metric
            default -> new SenmlRecord("mood", r.unit(), r.value(), r.timeSeconds());       // unknown metric
        };
        spoiled.set(spoiled.indexOf(r), wrong);
        return spoiled;
    }

    private void send(List<SenmlRecord> records, boolean bad) {
        byte[] senml = cbor ? cborEncoder.encode(records) : jsonEncoder.encode(records);
        byte[] payload = settings.mac() && device.macKey() != null ? CoseMac0.create(senml, device.macKey()) : senml;
        try {
            MqttMessage message = new MqttMessage(payload, 1, false, new MqttProperties());
            message.getProperties().setContentType(settings.mac() ? "application/cose; cose-type=\"cose-mac0\""
                    : cbor ? "application/senml+cbor" : "application/senml+json");
            client.publish(Topics.readings(device.deviceId()), message);
            published.addAndGet(records.size());
            if (bad) {
                sentBad.incrementAndGet();
            }
        } catch (MqttException e) {
            // A full in-flight window or a dropped link: this pack is skipped, as a real node without a buffer would.
        }
    }

    void disconnect() {
        PahoClients.closeQuietly(client);
    }
}
