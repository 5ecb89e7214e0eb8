package org.vitalvault.deploy.broker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.vitalvault.deploy.broker.TestDevices.PairedDevice;

/** Real Paho MQTT 5 clients for the broker tests, recording what they receive. */
final class TestMqtt {

    private TestMqtt() {
    }

    static MqttClient client(EmbeddedBroker broker, String clientId) throws MqttException {
        return new MqttClient("tcp://127.0.0.1:" + broker.port(), clientId, new MemoryPersistence());
    }

    static MqttConnectionOptions options(String user, byte[] password) {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName(user);
        options.setPassword(password);
        options.setAutomaticReconnect(false);
        options.setConnectionTimeout(10);
        return options;
    }

    static MqttClient connectDevice(EmbeddedBroker broker, PairedDevice device) throws MqttException {
        MqttClient client = client(broker, device.id());
        client.connect(options(device.id(), device.secret()));
        return client;
    }

    static MqttMessage qos1(String payload) {
        MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        message.setQos(1);
        return message;
    }

    /** Publishes with QoS 1 and returns the PUBACK's reason code (below 0x80 = accepted). */
    static int publishQos1(MqttClient client, String topic, String payload) throws MqttException {
        return awaitPuback(client.getTopic(topic).publish(qos1(payload)));
    }

    /** Waits for the PUBACK of a QoS 1 publish and returns its reason code. */
    static int awaitPuback(IMqttToken token) throws MqttException {
        token.waitForCompletion(10_000);
        int[] reasonCodes = token.getReasonCodes();
        return reasonCodes == null || reasonCodes.length == 0 ? 0 : reasonCodes[0];
    }

    static void closeQuietly(MqttClient client) {
        try {
            if (client.isConnected()) {
                client.disconnect(1_000);
            }
            client.close(true);
        } catch (MqttException e) {
            // The test is over; the broker may already be gone.
        }
    }

    /** A received message: its topic and its payload as text. */
    record Received(String topic, String payload) {
    }

    /** Records every message a client receives, in arrival order. */
    static final class Inbox implements MqttCallback {

        private final List<Received> messages = new CopyOnWriteArrayList<>();
        private final List<Integer> serverDisconnectReasons = new CopyOnWriteArrayList<>();

        List<Received> messages() {
            return List.copyOf(messages);
        }

        boolean contains(String topic, String payload) {
            return messages.contains(new Received(topic, payload));
        }

        boolean containsPayload(String payload) {
            return messages.stream().anyMatch(received -> received.payload().equals(payload));
        }

        /** Waits until the message has arrived; false if it did not within {@code timeout}. */
        boolean await(String topic, String payload, Duration timeout) throws InterruptedException {
            return awaitUntil(() -> contains(topic, payload), timeout);
        }

        /** Waits until at least {@code count} messages on {@code topic} have arrived. */
        boolean awaitCount(String topic, int count, Duration timeout) throws InterruptedException {
            return awaitUntil(() -> count(topic) >= count, timeout);
        }

        long count(String topic) {
            return messages.stream().filter(received -> received.topic().equals(topic)).count();
        }

        private static boolean awaitUntil(BooleanSupplier condition, Duration timeout)
                throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!condition.getAsBoolean()) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                Thread.sleep(20);
            }
            return true;
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            messages.add(new Received(topic, new String(message.getPayload(), StandardCharsets.UTF_8)));
        }

        /** Waits until the server has disconnected the client; its DISCONNECT reason code, or -1. */
        int awaitServerDisconnect(Duration timeout) throws InterruptedException {
            return awaitUntil(() -> !serverDisconnectReasons.isEmpty(), timeout)
                    ? serverDisconnectReasons.get(0)
                    : -1;
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            if (response.getException() == null) { // a DISCONNECT packet from the server
                serverDisconnectReasons.add(response.getReturnCode());
            }
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }
}
