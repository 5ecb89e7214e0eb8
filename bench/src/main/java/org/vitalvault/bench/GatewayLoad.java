package org.vitalvault.bench;

import static org.vitalvault.bench.BenchSupport.secondsSince;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.vitalvault.deploy.stack.PahoClients;
import org.vitalvault.deploy.stack.VaultClient;
import org.vitalvault.mqtt.NoDelaySocketFactory;
import org.vitalvault.store.CompactionBacklog;

/**
 * Loads 1 Hz heart rate ({@link HeartRateWalk}) the way a real device sends it, for the vault and app
 * benchmarks: one paired device connects to the broker as itself and publishes SenML JSON packs of
 * {@code pack} readings to its topic with QoS 1, {@code inflight} unacknowledged, oldest first, as fast
 * as the broker acknowledges; then waits until the gateway stored every reading and the vault's
 * compaction emptied {@code reading_batch}.
 */
final class GatewayLoad {

    /** The gateway's default limits (vitalvault.gateway.limits.max-age P30D, max-future PT5M). */
    static final long MAX_AGE_MILLIS = TimeUnit.DAYS.toMillis(30);

    private final int pack;
    private final int inflight;
    private final long maxBacklog;
    /** A line on where the CPU went since the last call, for the progress lines. */
    private final Supplier<String> machine;

    GatewayLoad(int pack, int inflight, long maxBacklog, Supplier<String> machine) {
        this.pack = pack;
        this.inflight = inflight;
        this.maxBacklog = maxBacklog;
        this.machine = machine;
    }

    /**
     * Publishes {@code readings} seconds of heart rate from {@code firstSecond} on, oldest first, as
     * the paired device (its id as client id and user name, its credential as password).
     */
    long publish(String mqttUrl, VaultClient.Pairing device, long firstSecond, long readings,
                      GatewayWatcher gateway, double storedBase) throws Exception {
        String id = device.deviceId().toString();
        MqttAsyncClient client = new MqttAsyncClient(mqttUrl, id, new MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setKeepAliveInterval(60);
        o.setConnectionTimeout(10);
        o.setUserName(id);
        o.setPassword(device.credential().getBytes(StandardCharsets.UTF_8));
        o.setSocketFactory(new NoDelaySocketFactory());
        client.connect(o).waitForCompletion(15_000);
        Semaphore window = new Semaphore(inflight);
        AtomicLong ackedReadings = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        String topic = device.topic();
        String baseName = "urn:dev:uuid:" + id + ":";
        HeartRateWalk walk = new HeartRateWalk(20261126L);
        StringBuilder b = new StringBuilder(64 + 32 * pack);
        long sent = 0;
        long lastReport = System.nanoTime();
        long lastAcked = 0;
        try {
            for (long second = firstSecond; second < firstSecond + readings; second += pack) {
                int n = (int) Math.min(pack, firstSecond + readings - second);
                // The oldest reading of the pack must still be inside the gateway's 30 days when it arrives.
                if (second * 1000 < System.currentTimeMillis() - MAX_AGE_MILLIS + 10_000) {
                    throw new IllegalStateException("loading fell behind: a reading of " + Instant.ofEpochSecond(second)
                            + " would arrive older than the gateway's 30 days");
                }
                while (sent - (gateway.last().stored() - storedBase) > maxBacklog) {
                    Thread.sleep(1);
                }
                b.setLength(0);
                b.append("[{\"bn\":\"").append(baseName).append("\",\"bt\":").append(second)
                        .append(",\"bu\":\"beat/min\",\"n\":\"heart_rate\",\"v\":").append(walk.next(second)).append('}');
                for (int i = 1; i < n; i++) {
                    b.append(",{\"n\":\"heart_rate\",\"t\":").append(i).append(",\"v\":").append(walk.next(second + i))
                            .append('}');
                }
                b.append(']');
                MqttProperties properties = new MqttProperties();
                properties.setContentType("application/senml+json");
                MqttMessage message = new MqttMessage(b.toString().getBytes(StandardCharsets.US_ASCII), 1, false, properties);
                while (!window.tryAcquire(1, TimeUnit.SECONDS)) {
                    if (failure.get() != null) {
                        break;
                    }
                }
                if (failure.get() != null) {
                    throw new IllegalStateException("a publish failed", failure.get());
                }
                client.publish(topic, message, null, new MqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken token) {
                        ackedReadings.addAndGet(n);
                        window.release();
                    }

                    @Override
                    public void onFailure(IMqttToken token, Throwable exception) {
                        failure.compareAndSet(null, exception);
                        window.release();
                    }
                });
                sent += n;
                if (System.nanoTime() - lastReport > TimeUnit.SECONDS.toNanos(5)) {
                    double secs = (System.nanoTime() - lastReport) / 1e9;
                    long a = ackedReadings.get();
                    GatewayWatcher.Snapshot s = gateway.last();
                    say("[load] published %,d, acknowledged %,d (%,.0f readings/s), gateway stored %,.0f, queue %.0f; %s",
                            sent, a, (a - lastAcked) / secs, s.stored() - storedBase, s.queued(), machine.get());
                    lastReport = System.nanoTime();
                    lastAcked = a;
                }
            }
            if (!window.tryAcquire(inflight, 60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the broker did not acknowledge every publish within 60 s");
            }
            if (failure.get() != null) {
                throw new IllegalStateException("a publish failed", failure.get());
            }
            say("[load] heart rate: %s", walk.describe());
            return ackedReadings.get();
        } finally {
            PahoClients.closeQuietly(client);
        }
    }

    GatewayWatcher.Snapshot waitStored(GatewayWatcher gateway, double base, long readings) throws Exception {
        long lastChange = System.nanoTime();
        double last = -1;
        long lastReport = System.nanoTime();
        while (true) {
            GatewayWatcher.Snapshot s = gateway.now();
            double done = s.stored() - base + s.rejected();
            if (done >= readings) {
                return s;
            }
            if (done != last) {
                last = done;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > TimeUnit.SECONDS.toNanos(60)) {
                say("[load] WARNING: the gateway stored nothing more for 60 s");
                return s;
            }
            if (System.nanoTime() - lastReport > TimeUnit.SECONDS.toNanos(5)) {
                say("[load] waiting for the gateway: stored %,.0f of %,d, queue %.0f; %s", s.stored() - base, readings,
                        s.queued(), machine.get());
                lastReport = System.nanoTime();
            }
            Thread.sleep(250);
        }
    }

    void waitCompacted(String jdbc, long loadStart) throws Exception {
        long t = System.nanoTime();
        long lastReport = 0;
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", ""); Statement st = c.createStatement()) {
            long lastRows = -1;
            long lastChange = System.nanoTime();
            while (true) {
                CompactionBacklog backlog = CompactionBacklog.of(c);
                long rows = backlog.pendingBatches();
                long pendingReadings = backlog.pendingReadings();
                long segments = backlog.segments();
                if (rows == 0) {
                    say("[compaction] reading_batch empty %.1f s after the gateway stored everything (%.1f s after the first"
                            + " publish); %,d segments", secondsSince(t), secondsSince(loadStart), segments);
                    return;
                }
                if (rows != lastRows) {
                    lastRows = rows;
                    lastChange = System.nanoTime();
                } else if (System.nanoTime() - lastChange > TimeUnit.MINUTES.toNanos(5)) {
                    throw new IllegalStateException("compaction made no progress for 5 min: " + rows
                            + " reading_batch rows left (is vitalvault.compaction.enabled true? see the vault's log)");
                }
                if (System.nanoTime() - lastReport > TimeUnit.SECONDS.toNanos(5)) {
                    say("[compaction] pending: %,d reading_batch rows (%,d readings); %,d segments; %s", rows,
                            pendingReadings, segments, machine.get());
                    lastReport = System.nanoTime();
                }
                Thread.sleep(500);
            }
        }
    }


    private static void say(String format, Object... values) {
        System.out.println(String.format(Locale.ROOT, format, values));
    }
}
