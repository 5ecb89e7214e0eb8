package org.vitalvault.deploy.fault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** Adds up a device's receipts: messages answered, readings stored, rejections by reason. */
final class ReceiptTally implements MqttCallback {

    private static final ObjectMapper JSON = new ObjectMapper();

    final AtomicLong receipts = new AtomicLong();
    final AtomicLong messages = new AtomicLong();
    final AtomicLong stored = new AtomicLong();
    final Map<String, AtomicLong> rejectedByReason = new ConcurrentHashMap<>();

    @Override
    public void messageArrived(String topic, MqttMessage message) throws Exception {
        JsonNode r = JSON.readTree(message.getPayload());
        receipts.incrementAndGet();
        messages.addAndGet(r.get("messages").asLong());
        stored.addAndGet(r.get("stored").get("count").asLong());
        for (JsonNode x : r.get("rejected")) {
            rejectedByReason.computeIfAbsent(x.get("reason").asText(), k -> new AtomicLong()).incrementAndGet();
        }
    }

    long rejected(String reason) {
        AtomicLong n = rejectedByReason.get(reason);
        return n == null ? 0 : n.get();
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
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
