package org.vitalvault.deploy.fault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** Adds up a device's receipts: messages answered, readings stored, rejections by reason. */
final class ReceiptTally implements MqttCallback {

    /** What one receipt promised: {@code count} readings stored, device times within [fromTime, upToTime]. */
    record Stored(long count, long fromTime, long upToTime) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    final AtomicLong receipts = new AtomicLong();
    final AtomicLong messages = new AtomicLong();
    final AtomicLong stored = new AtomicLong();
    final Map<String, AtomicLong> rejectedByReason = new ConcurrentHashMap<>();
    /** Every receipt that reported readings stored, in arrival order. */
    final List<Stored> storedRanges = new CopyOnWriteArrayList<>();

    @Override
    public void messageArrived(String topic, MqttMessage message) throws Exception {
        JsonNode r = JSON.readTree(message.getPayload());
        receipts.incrementAndGet();
        messages.addAndGet(r.get("messages").asLong());
        JsonNode s = r.get("stored");
        stored.addAndGet(s.get("count").asLong());
        if (s.get("count").asLong() > 0) {
            storedRanges.add(new Stored(s.get("count").asLong(), s.get("fromTime").asLong(), s.get("upToTime").asLong()));
        }
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
