package org.vitalvault.deploy.fault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.vitalvault.wire.Topics;

/**
 * A well-behaved device beside an attacker: one heart-rate reading every 0.2 s with QoS 1, each
 * with its own device time, and its receipts on {@code receipts/{id}}. For each reading it records
 * when it was published, whether the broker acknowledged it, and when a receipt first covered its
 * time (a receipt's {@code stored.fromTime..upToTime}), so a test can read the publish→receipt
 * latency over any window of time.
 */
final class HonestDevice implements MqttCallback, AutoCloseable {

    /** One reading: its device time, when it was published, and when it was acknowledged and receipted. */
    static final class Sample {
        final long deviceTimeMillis;
        final long publishedNanos;
        volatile long pubackNanos;
        volatile int pubackReason = -1;
        volatile long receiptNanos;

        Sample(long deviceTimeMillis, long publishedNanos) {
            this.deviceTimeMillis = deviceTimeMillis;
            this.publishedNanos = publishedNanos;
        }

        boolean acknowledged() {
            return pubackNanos != 0 && pubackReason >= 0 && pubackReason < 0x80;
        }

        double latencyMillis() {
            return (receiptNanos - publishedNanos) / 1e6;
        }
    }

    /** The readings published in a window of time and what their latency was. */
    record Window(String name, List<Sample> samples) {
        List<Sample> acknowledged() {
            return samples.stream().filter(Sample::acknowledged).toList();
        }

        List<Sample> withoutReceipt() {
            return acknowledged().stream().filter(s -> s.receiptNanos == 0).toList();
        }

        /** The p-quantile (nearest rank) of publish→receipt latency of receipted readings, in ms. */
        double percentile(double p) {
            double[] l = acknowledged().stream().filter(s -> s.receiptNanos != 0)
                    .mapToDouble(Sample::latencyMillis).sorted().toArray();
            if (l.length == 0) {
                return Double.NaN;
            }
            return l[Math.max(0, (int) Math.ceil(p * l.length) - 1)];
        }

        String describe() {
            return String.format("%s: %d readings, %d acknowledged, %d without receipt, p50 %.0f ms, p99 %.0f ms",
                    name, samples.size(), acknowledged().size(), withoutReceipt().size(), percentile(0.5),
                    percentile(0.99));
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long TIME_STEP_MILLIS = 125;

    private final TestFleet.Member member;
    private final String id;
    private final MqttAsyncClient client;
    private final List<Sample> samples = new CopyOnWriteArrayList<>();
    private final Map<Long, Sample> byTime = new ConcurrentHashMap<>();
    private final List<String> rejections = new CopyOnWriteArrayList<>();
    private final AtomicLong lastTime = new AtomicLong();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "honest-device");
        t.setDaemon(true);
        return t;
    });

    HonestDevice(String brokerUrl, TestFleet.Member member) throws MqttException {
        this.member = member;
        this.id = member.device().deviceId().toString();
        this.client = new MqttAsyncClient(brokerUrl, id, new MemoryPersistence());
        client.setCallback(this);
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setUserName(id);
        o.setPassword(member.device().credential().getBytes(StandardCharsets.UTF_8));
        o.setCleanStart(true);
        o.setAutomaticReconnect(true);
        o.setConnectionTimeout(30);
        client.connect(o).waitForCompletion(60_000);
        client.subscribe(new MqttSubscription(Topics.receipts(id), 1)).waitForCompletion(30_000);
    }

    TestFleet.Member member() {
        return member;
    }

    /** Publishes one reading every {@code periodMillis} until closed. */
    void start(long periodMillis) {
        timer.scheduleAtFixedRate(this::publishOne, 0, periodMillis, TimeUnit.MILLISECONDS);
    }

    private void publishOne() {
        // Multiples of 125 ms: the SenML time (seconds, a double) is then exact, so the receipt's
        // stored.fromTime/upToTime (ms) match the device time exactly, with no rounding to guess.
        long time = lastTime.updateAndGet(last -> Math.max(last + TIME_STEP_MILLIS,
                (System.currentTimeMillis() + TIME_STEP_MILLIS - 1) / TIME_STEP_MILLIS * TIME_STEP_MILLIS));
        Sample sample = new Sample(time, System.nanoTime());
        samples.add(sample);
        byTime.put(time, sample);
        String pack = "[{\"bn\":\"urn:dev:uuid:" + id + ":\",\"bt\":" + time / 1000d
                + ",\"n\":\"heart_rate\",\"u\":\"beat/min\",\"v\":" + (60 + time % 40) + "}]";
        MqttMessage message = new MqttMessage(pack.getBytes(StandardCharsets.UTF_8));
        message.setQos(1);
        try {
            client.publish(Topics.readings(id), message, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    int[] codes = token.getReasonCodes();
                    sample.pubackReason = codes == null || codes.length == 0 ? 0 : codes[0];
                    sample.pubackNanos = System.nanoTime();
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    // Not acknowledged: the device would keep it and send it again; not counted.
                }
            });
        } catch (MqttException e) {
            // Not connected or too many in flight: this reading is simply not acknowledged.
        }
    }

    /** Every reading published between the two System.nanoTime() marks. */
    Window window(String name, long fromNanos, long toNanos) {
        List<Sample> in = new ArrayList<>();
        for (Sample s : samples) {
            if (s.publishedNanos >= fromNanos && s.publishedNanos < toNanos) {
                in.add(s);
            }
        }
        return new Window(name, in);
    }

    /** Waits until every acknowledged reading of the window has a receipt, or the timeout passed. */
    Window awaitReceipts(String name, long fromNanos, long toNanos, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        // Readings published just before toNanos may not be acknowledged yet: give them a moment.
        Thread.sleep(500);
        Window w = window(name, fromNanos, toNanos);
        while (!w.withoutReceipt().isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
            w = window(name, fromNanos, toNanos);
        }
        return w;
    }

    /** Device times of every reading the broker acknowledged. */
    List<Long> acknowledgedTimes() {
        return samples.stream().filter(Sample::acknowledged).map(s -> s.deviceTimeMillis).toList();
    }

    long firstTimeMillis() {
        return samples.isEmpty() ? System.currentTimeMillis() : samples.get(0).deviceTimeMillis;
    }

    /** Whole-message or record rejections the honest device's receipts carried (reason codes). */
    List<String> rejections() {
        return List.copyOf(rejections);
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) throws Exception {
        long now = System.nanoTime();
        JsonNode r = JSON.readTree(message.getPayload());
        JsonNode stored = r.get("stored");
        if (stored != null && stored.get("count").asLong() > 0) {
            long from = stored.get("fromTime").asLong();
            long upTo = stored.get("upToTime").asLong();
            for (Sample s : samples) {
                if (s.receiptNanos == 0 && s.deviceTimeMillis >= from && s.deviceTimeMillis <= upTo) {
                    s.receiptNanos = now;
                }
            }
        }
        for (JsonNode x : r.get("rejected")) {
            rejections.add(x.get("reason").asText());
            // A rejected reading is answered too (its device learns its fate): it counts as receipted.
            if (x.has("time")) {
                Sample s = byTime.get(x.get("time").asLong());
                if (s != null && s.receiptNanos == 0) {
                    s.receiptNanos = now;
                }
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(5_000);
            }
            client.close();
        } catch (MqttException ignored) {
            // going away anyway
        }
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
        if (reconnect) {
            try {
                client.subscribe(new MqttSubscription(Topics.receipts(id), 1));
            } catch (MqttException ignored) {
                // the next reconnect tries again
            }
        }
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {
    }
}
