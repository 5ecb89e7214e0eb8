package org.vitalvault.deploy.simulator;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.vitalvault.cose.CoseMac0;
import org.vitalvault.senml.SenmlCborEncoder;
import org.vitalvault.senml.SenmlRecord;
import org.vitalvault.wire.Topics;

/**
 * Back-dated history for one simulated owner, published through the real path: the owner's own
 * devices connect to the broker with their credentials and publish SenML CBOR (inside COSE_Mac0
 * when the fleet is mac-required) with QoS 1, one pack per device and day, each acknowledged only
 * after the gateway committed it. The gateway takes readings up to 30 days old
 * ({@code vitalvault.gateway.limits.max-age}), so the sandbox stays within four weeks.
 *
 * <p>What is published: heart rate every 5 minutes with a daily rhythm (lower at night, higher in
 * the afternoon) around the person's baseline, and SpO₂ every 15 minutes — enough for hourly and
 * daily aggregates in every bucket, small enough that the fleet's history is seconds of ingest.
 * Must run while the live simulator is not connected (the broker keeps one connection per client id).
 */
public final class HistoryPublisher {

    /** Heart rate every five minutes, SpO₂ every fifteen. */
    private static final Duration HEART_RATE_EVERY = Duration.ofMinutes(5);
    private static final Duration SPO2_EVERY = Duration.ofMinutes(15);

    private HistoryPublisher() {
    }

    /**
     * Publishes {@code [from, until)} for the owner's chest strap and pulse oximeter and returns the
     * number of readings the broker acknowledged.
     */
    public static long publish(Fleet.SimOwner owner, Instant from, Instant until, boolean mac, String brokerUrl, long seed)
            throws MqttException {
        Random random = new Random(seed);
        long sent = 0;
        for (Fleet.SimDevice d : owner.devices()) {
            switch (d.kind()) {
                case "chest-strap" -> sent += publish(d, VitalSign.heartRate(random), HEART_RATE_EVERY, true, from, until, mac,
                        brokerUrl, random);
                case "pulse-oximeter" -> sent += publish(d, VitalSign.spo2(random), SPO2_EVERY, false, from, until, mac,
                        brokerUrl, random);
                default -> {
                    // the live simulator covers thermometers and respiration bands; history keeps to two vitals
                }
            }
        }
        return sent;
    }

    private static long publish(Fleet.SimDevice device, VitalSign vital, Duration every, boolean dailyRhythm, Instant from,
                                Instant until, boolean mac, String brokerUrl, Random random) throws MqttException {
        MqttClient client = new MqttClient(brokerUrl, device.deviceId().toString(), new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName(device.deviceId().toString());
        options.setPassword(device.credential().getBytes(StandardCharsets.UTF_8));
        options.setCleanStart(true);
        options.setConnectionTimeout(10);
        client.setTimeToWait(30_000);
        client.connect(options);
        SenmlCborEncoder cbor = new SenmlCborEncoder();
        long sent = 0;
        try {
            Instant t = from.plusSeconds(random.nextInt((int) every.toSeconds()));
            while (t.isBefore(until)) {
                // One pack per UTC day (at most 288 readings: far below the gateway's 1,000 records and 64 KiB).
                Instant dayEnd = t.atZone(ZoneOffset.UTC).toLocalDate().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
                Instant packEnd = dayEnd.isBefore(until) ? dayEnd : until;
                List<SenmlRecord> pack = new ArrayList<>();
                for (; t.isBefore(packEnd); t = t.plus(every)) {
                    double v = vital.next(random);
                    if (dailyRhythm) {
                        double hour = t.atZone(ZoneOffset.UTC).getHour() + t.atZone(ZoneOffset.UTC).getMinute() / 60.0;
                        v = Math.max(40, Math.min(180, v + Math.round(9 * Math.sin(2 * Math.PI * (hour - 9) / 24))));
                    }
                    pack.add(new SenmlRecord(vital.senmlName(), vital.unit(), v, t.getEpochSecond()));
                }
                if (pack.isEmpty()) {
                    continue;
                }
                byte[] senml = cbor.encode(pack);
                MqttMessage message = new MqttMessage(mac ? CoseMac0.create(senml, device.macKey()) : senml, 1, false,
                        new MqttProperties());
                message.getProperties().setContentType(mac ? "application/cose; cose-type=\"cose-mac0\"" : "application/senml+cbor");
                client.publish(Topics.readings(device.deviceId()), message);   // blocks until the PUBACK: after the commit
                sent += pack.size();
            }
        } finally {
            try {
                client.disconnect();
            } catch (MqttException e) {
                // closing anyway
            }
            client.close();
        }
        return sent;
    }
}
