package org.vitalvault.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.vitalvault.deploy.stack.PahoClients;
import org.vitalvault.wire.Topics;

/**
 * Publish → commit latency from the gateway's receipts. The load generator records, per device, the
 * highest device time of each message and when it was published; the gateway publishes after each
 * commit a receipt to {@code receipts/{deviceId}}:
 * {@code {"batch":…,"committedAt":ms,"stored":{"count":n,"fromTime":ms,"upToTime":ms},"rejected":[…]}}.
 * Every recorded message of that device whose device time is ≤ {@code upToTime} is then committed;
 * its latency is the receipt's arrival time minus its publish time (one clock: this JVM's nanoTime).
 */
final class ReceiptLatency implements MqttCallback, AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ConcurrentHashMap<UUID, DeviceQueue> queues = new ConcurrentHashMap<>();
    private final AtomicLong receipts = new AtomicLong();
    private final AtomicLong malformedReceipts = new AtomicLong();
    private final AtomicLong rejectedInReceipts = new AtomicLong();
    private final AtomicLong committedBeforeWindow = new AtomicLong();
    /** A device whose receipts are only counted (the flooding device of {@code --flood}), or null. */
    private volatile UUID watched;
    private final AtomicLong watchedReceipts = new AtomicLong();
    private final AtomicLong watchedStored = new AtomicLong();
    private final AtomicLong watchedRejected = new AtomicLong();
    private final ConcurrentHashMap<String, AtomicLong> watchedReasons = new ConcurrentHashMap<>();
    private volatile long measureFromNanos = Long.MAX_VALUE;
    private volatile long measureUntilNanos = Long.MAX_VALUE;
    private long[] latencies = new long[1 << 16];
    private int latencyCount;
    private MqttAsyncClient client;

    /** Connects and subscribes to {@code receipts/+}. */
    void start(String brokerUrl, String clientId) throws MqttException {
        client = new MqttAsyncClient(brokerUrl, clientId, new MemoryPersistence());
        client.setCallback(this);
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setKeepAliveInterval(60);
        o.setReceiveMaximum(65_535);
        BenchSockets.configure(o, brokerUrl);
        client.connect(o).waitForCompletion(15_000);
        client.subscribe(new MqttSubscription(Topics.ALL_RECEIPTS, 1)).waitForCompletion(10_000);
    }

    /** Only messages published in [from, until) count; earlier ones are matched and dropped. */
    void measureBetween(long fromNanos, long untilNanos) {
        measureFromNanos = fromNanos;
        measureUntilNanos = untilNanos;
    }

    /**
     * Counts the receipts of {@code device} instead of timing them: readings stored, records
     * rejected (a receipt's {@code rejectedTotal}) and the listed rejections by reason.
     */
    void watch(UUID device) {
        watched = device;
    }

    /** What the watched device's receipts said. */
    record Watched(long receipts, long stored, long rejected, Map<String, Long> listedReasons) {
    }

    Watched watchedResult() {
        Map<String, Long> reasons = new java.util.TreeMap<>();
        watchedReasons.forEach((k, v) -> reasons.put(k, v.get()));
        return new Watched(watchedReceipts.get(), watchedStored.get(), watchedRejected.get(), reasons);
    }

    /** Called by the publisher thread of {@code device} before it publishes. */
    void published(UUID device, long lastDeviceMillis, long publishNanos) {
        queues.computeIfAbsent(device, d -> new DeviceQueue()).add(lastDeviceMillis, publishNanos);
    }

    /** The last recorded publish of {@code device} did not reach the broker. */
    void notPublished(UUID device) {
        DeviceQueue q = queues.get(device);
        if (q != null) {
            q.removeLast();
        }
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        long arrived = System.nanoTime();
        receipts.incrementAndGet();
        UUID device;
        long upTo;
        try {
            device = UUID.fromString(topic.substring(topic.indexOf('/') + 1));
            JsonNode receipt = JSON.readTree(message.getPayload());
            JsonNode rejected = receipt.get("rejected");
            if (rejected != null && rejected.isArray()) {
                rejectedInReceipts.addAndGet(rejected.size());
            }
            JsonNode stored = receipt.get("stored");
            if (device.equals(watched)) {
                watchedReceipts.incrementAndGet();
                watchedStored.addAndGet(stored == null ? 0 : stored.path("count").asLong());
                watchedRejected.addAndGet(receipt.path("rejectedTotal").asLong());
                if (rejected != null && rejected.isArray()) {
                    for (JsonNode r : rejected) {
                        watchedReasons.computeIfAbsent(r.path("reason").asText("?"), k -> new AtomicLong()).incrementAndGet();
                    }
                }
                return;
            }
            if (stored == null || !stored.hasNonNull("upToTime") || stored.path("count").asLong() == 0) {
                return;
            }
            upTo = stored.get("upToTime").asLong();
        } catch (Exception e) {
            malformedReceipts.incrementAndGet();
            return;
        }
        DeviceQueue q = queues.get(device);
        if (q != null) {
            q.committedUpTo(upTo, arrived);
        }
    }

    private synchronized void record(long latencyNanos) {
        if (latencyCount == latencies.length) {
            latencies = Arrays.copyOf(latencies, latencies.length * 2);
        }
        latencies[latencyCount++] = latencyNanos;
    }

    /** What was measured. */
    record Result(long receipts, long malformedReceipts, long rejectedRecords, long measured, long pending,
                  double p50Millis, double p99Millis, double maxMillis) {
        boolean hasLatency() {
            return measured > 0;
        }
    }

    Result result() {
        long pending = 0;
        for (DeviceQueue q : queues.values()) {
            pending += q.pendingInWindow();
        }
        long[] sorted;
        synchronized (this) {
            sorted = Arrays.copyOf(latencies, latencyCount);
        }
        Arrays.sort(sorted);
        return new Result(receipts.get(), malformedReceipts.get(), rejectedInReceipts.get(), sorted.length, pending,
                percentile(sorted, 0.50), percentile(sorted, 0.99),
                sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1e6);
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }

    @Override
    public void close() {
        PahoClients.closeQuietly(client);
    }

    /** (last device time, publish time) of one device's messages, oldest first. */
    private final class DeviceQueue {
        private final ArrayDeque<long[]> entries = new ArrayDeque<>();

        synchronized void add(long deviceMillis, long publishNanos) {
            entries.addLast(new long[] {deviceMillis, publishNanos});
        }

        synchronized void removeLast() {
            entries.pollLast();
        }

        synchronized void committedUpTo(long upToMillis, long arrivedNanos) {
            while (!entries.isEmpty() && entries.peekFirst()[0] <= upToMillis) {
                long published = entries.pollFirst()[1];
                if (published >= measureFromNanos && published < measureUntilNanos) {
                    record(arrivedNanos - published);
                } else {
                    committedBeforeWindow.incrementAndGet();
                }
            }
        }

        synchronized long pendingInWindow() {
            return entries.stream().filter(e -> e[1] >= measureFromNanos && e[1] < measureUntilNanos).count();
        }
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
        // reported by the missing receipts
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
        // reported by the missing receipts
    }

    @Override
    public void deliveryComplete(IMqttToken token) {
        // subscribes only
    }

    @Override
    public void connectComplete(boolean reconnect, String serverURI) {
        // subscribed in start()
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {
        // no enhanced authentication
    }
}
