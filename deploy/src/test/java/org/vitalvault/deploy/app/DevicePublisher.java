package org.vitalvault.deploy.app;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.vitalvault.deploy.stack.VaultClient;

/**
 * A device as the browser tests need one: Paho publishing SenML JSON with QoS 1 as the device's
 * own login (client id and user name = device id, the pairing's credential), the way real devices
 * and the end-to-end tests publish. Also sets up an owner of a test's own with readings.
 */
final class DevicePublisher {

    private DevicePublisher() {
    }

    /** An owner of the test's own, signed in by REST, with one paired device. */
    record SeededOwner(String subject, String token, UUID ownerId, VaultClient.Pairing device) {
    }

    /** Registers {@code subject} as an owner and pairs a device for it (the browser then signs in as it). */
    static SeededOwner owner(AppStack app, String subject) throws Exception {
        VaultClient vault = app.vault();
        String token = vault.devToken(subject, "owner");
        UUID ownerId = vault.registerOrFind(token);
        return new SeededOwner(subject, token, ownerId, vault.pair(token, ownerId, subject + " strap"));
    }

    /** One SenML pack of {@code metric} values one second apart from {@code start}, published and acknowledged. */
    static void publish(AppStack app, UUID deviceId, String credential, String topic, String metric, String unit,
                        Instant start, double... values) throws Exception {
        StringBuilder pack = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            pack.append(i == 0 ? "{\"bn\":\"urn:dev:uuid:" + deviceId + ":\",\"bt\":" + start.getEpochSecond()
                    + ",\"bu\":\"" + unit + "\"," : ",{")
                    .append("\"n\":\"").append(metric).append("\",\"t\":").append(i).append(",\"v\":").append(values[i])
                    .append('}');
        }
        pack.append(']');
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName(deviceId.toString());
        options.setPassword(credential.getBytes(StandardCharsets.UTF_8));
        MqttClient client = new MqttClient(app.stack().mqttUrl(), deviceId.toString(), new MemoryPersistence());
        try {
            client.connect(options);
            MqttMessage message = new MqttMessage(pack.toString().getBytes(StandardCharsets.UTF_8));
            message.setQos(1);
            client.publish(topic, message);
            client.disconnect();
        } finally {
            client.close();
        }
    }

    /** Waits until the owner's latest values include {@code metric} (the gateway committed them). */
    static void awaitLatest(AppStack app, SeededOwner owner, String metric) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            VaultClient.Reply r = app.vault().send("GET", "/owners/" + owner.ownerId() + "/readings/latest", owner.token(), null);
            if (r.status() == 200) {
                for (var l : r.body()) {
                    if (metric.equals(l.get("metric").asText())) {
                        return;
                    }
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no " + metric + " reading of " + owner.subject() + " within 30 s");
    }

    /** Readable on a phone: the page's content is no wider than its 375 px screen (nothing to scroll sideways). */
    static void assertFitsThePhone(AppBrowser phone) {
        Object overflow = phone.js("const m = document.getElementById('main'); return m.scrollWidth - m.clientWidth;");
        if (((Number) overflow).intValue() > 0) {
            throw new AssertionError("the page is " + overflow + " px wider than the phone's screen");
        }
    }
}
