package org.vitalvault.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.vitalvault.deploy.stack.PahoClients;

/**
 * The bench's sensors: {@code publishers} Paho v5 connections, each publishing on behalf of a
 * share of the devices (round robin) SenML JSON packs of {@code pack} heart-rate readings with QoS 1
 * to {@code <prefix><deviceId>}.
 *
 * <p>Device times: {@code bt} is the publish time in seconds with a millisecond fraction, the
 * readings of a pack are 1 ms apart ({@code t} = 0.001, 0.002, …), and a device's next pack starts
 * after its previous one ended, so (device, metric, device time) never repeats — the vault counts a
 * repeated one once.
 *
 * <p>Two modes: flat out (as fast as the broker acknowledges, at most {@code inflight} unacknowledged
 * publishes per connection, and at most {@code maxBacklog} readings published but not yet consumed
 * by the pipeline under test, so the broker's queue stays bounded), or a fixed rate in readings/s.
 */
final class LoadGenerator implements AutoCloseable {

    private static final String CONTENT_TYPE = "application/senml+json";

    private final String brokerUrl;
    private final String topicPrefix;
    private final List<UUID> devices;
    private final int publishers;
    private final int pack;
    private final int inflight;
    private final ReceiptLatency latency;
    private final long[] lastDeviceMillis;
    private final List<Publisher> workers = new ArrayList<>();
    private final AtomicLong sentReadings = new AtomicLong();
    private final AtomicLong ackedReadings = new AtomicLong();
    private final AtomicLong failedPublishes = new AtomicLong();
    private final AtomicLong refusedPublishes = new AtomicLong();
    private volatile boolean running;
    /** See {@link #repeatDeviceTimes()}. */
    private boolean repeatDeviceTimes;

    /**
     * @param latency          where to record (device, last device time, publish time) of each message, or null
     * @param lastDeviceMillis per device (same index as {@code devices}), the last device time used so far;
     *                         shared by the generators of one run so that no device time is ever reused
     */
    LoadGenerator(String brokerUrl, String topicPrefix, List<UUID> devices, int publishers, int pack, int inflight,
                  ReceiptLatency latency, long[] lastDeviceMillis) {
        if (pack < 1 || pack > 999) {
            throw new IllegalArgumentException("pack must be 1..999");
        }
        this.brokerUrl = brokerUrl;
        this.topicPrefix = topicPrefix;
        this.devices = devices;
        this.publishers = Math.min(publishers, devices.size());
        this.pack = pack;
        this.inflight = inflight;
        this.latency = latency;
        this.lastDeviceMillis = lastDeviceMillis;
    }

    /**
     * Every pack starts at the publish time, even if the device's previous pack reached beyond it.
     * For a device publishing more readings per second than there are milliseconds (the flooding
     * device of {@code --flood}): with unique device times its clock would run ahead by 10 s every
     * second and its readings would soon be refused as too far in the future. Repeated device
     * times are stored and counted once by the vault's reads.
     */
    LoadGenerator repeatDeviceTimes() {
        this.repeatDeviceTimes = true;
        return this;
    }

    void connect(String clientIdPrefix) throws MqttException {
        for (int i = 0; i < publishers; i++) {
            List<Integer> share = new ArrayList<>();
            for (int d = i; d < devices.size(); d += publishers) {
                share.add(d);
            }
            Publisher p = new Publisher(clientIdPrefix + "-" + i, share, 7919L * (i + 1));
            p.connect();
            workers.add(p);
        }
    }

    /** Publishes as fast as the broker and {@code maxBacklog} allow; {@code consumed} counts readings taken by the consumer. */
    void startFlatOut(LongSupplier consumed, long maxBacklog) {
        start(0, consumed, maxBacklog);
    }

    /** Publishes {@code readingsPerSecond} readings per second in total. */
    void startFixedRate(double readingsPerSecond) {
        start(readingsPerSecond, () -> Long.MAX_VALUE / 2, Long.MAX_VALUE / 4);
    }

    private void start(double readingsPerSecond, LongSupplier consumed, long maxBacklog) {
        running = true;
        double messagesPerSecondEach = readingsPerSecond / pack / workers.size();
        for (Publisher p : workers) {
            p.thread = new Thread(() -> p.run(messagesPerSecondEach, consumed, maxBacklog), "bench-" + p.clientId);
            p.thread.setDaemon(true);
            p.thread.start();
        }
    }

    /** Stops publishing and waits until every publish was acknowledged by the broker (or the timeout passed). */
    void stop(long timeoutMillis) throws InterruptedException {
        running = false;
        for (Publisher p : workers) {
            if (p.thread != null) {
                p.thread.join(5_000);
            }
        }
        long deadline = System.currentTimeMillis() + timeoutMillis;
        for (Publisher p : workers) {
            long left = Math.max(1, deadline - System.currentTimeMillis());
            if (p.window.tryAcquire(inflight, left, TimeUnit.MILLISECONDS)) {
                p.window.release(inflight);
            }
        }
    }

    /** Readings handed to the broker (acknowledged or not). */
    long sentReadings() {
        return sentReadings.get();
    }

    /** Readings whose publish the broker acknowledged (PUBACK). */
    long ackedReadings() {
        return ackedReadings.get();
    }

    long failedPublishes() {
        return failedPublishes.get();
    }

    /**
     * Publishes the broker answered with a PUBACK reason code of 0x80 or more (e.g. 0x97 quota
     * exceeded): refused, not failed — the connection stays up and publishing goes on.
     */
    long refusedPublishes() {
        return refusedPublishes.get();
    }

    /** Whether a PUBACK's reason codes refuse the publish (MQTT 5: 0x80 and above). */
    static boolean refused(int[] reasonCodes) {
        if (reasonCodes == null) {
            return false;
        }
        for (int code : reasonCodes) {
            if (code >= 0x80) {
                return true;
            }
        }
        return false;
    }

    int pack() {
        return pack;
    }

    @Override
    public void close() {
        running = false;
        for (Publisher p : workers) {
            p.close();
        }
    }

    /** One connection and the devices it publishes for; only its own thread touches the device state. */
    private final class Publisher {
        final String clientId;
        final UUID[] ids;
        final int[] index;
        final String[] topics;
        final String[] baseNames;
        final SplittableRandom random;
        final Semaphore window = new Semaphore(inflight);
        final StringBuilder json = new StringBuilder(64 + 40 * pack);
        MqttAsyncClient client;
        Thread thread;
        private final MqttActionListener onAck = new MqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
                if (refused(token.getReasonCodes())) {
                    refusedPublishes.incrementAndGet();
                } else {
                    ackedReadings.addAndGet(pack);
                }
                window.release();
            }

            @Override
            public void onFailure(IMqttToken token, Throwable exception) {
                // Paho completes a publish the broker refused (PUBACK reason >= 0x80) either way,
                // depending on the path; a refusal carries its reason code in the exception.
                if (exception instanceof MqttException e && e.getReasonCode() >= 0x80 && e.getReasonCode() <= 0xA2) {
                    refusedPublishes.incrementAndGet();
                } else {
                    failedPublishes.incrementAndGet();
                }
                window.release();
            }
        };

        Publisher(String clientId, List<Integer> share, long seed) {
            this.clientId = clientId;
            this.ids = new UUID[share.size()];
            this.index = new int[share.size()];
            this.topics = new String[share.size()];
            this.baseNames = new String[share.size()];
            for (int i = 0; i < share.size(); i++) {
                index[i] = share.get(i);
                ids[i] = devices.get(index[i]);
                topics[i] = topicPrefix + ids[i];
                baseNames[i] = "urn:dev:uuid:" + ids[i] + ":";
            }
            this.random = new SplittableRandom(seed);
        }

        void connect() throws MqttException {
            client = new MqttAsyncClient(brokerUrl, clientId, new MemoryPersistence());
            MqttConnectionOptions o = new MqttConnectionOptions();
            o.setCleanStart(true);
            o.setKeepAliveInterval(60);
            o.setConnectionTimeout(10);
            BenchSockets.configure(o, brokerUrl);
            client.connect(o).waitForCompletion(15_000);
        }

        void run(double messagesPerSecond, LongSupplier consumed, long maxBacklog) {
            long started = System.nanoTime();
            long sentMessages = 0;
            int next = 0;
            try {
                while (running) {
                    if (messagesPerSecond > 0) {
                        long due = (long) ((System.nanoTime() - started) * messagesPerSecond / 1e9);
                        if (sentMessages >= due) {
                            LockSupport.parkNanos(100_000);
                            continue;
                        }
                    } else if (sentReadings.get() - consumed.getAsLong() > maxBacklog) {
                        LockSupport.parkNanos(1_000_000);
                        continue;
                    }
                    if (!window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                        continue;
                    }
                    publish(next);
                    sentMessages++;
                    next = next + 1 == ids.length ? 0 : next + 1;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void publish(int device) {
            long nowMillis = System.currentTimeMillis();
            long first = repeatDeviceTimes ? nowMillis : Math.max(nowMillis, lastDeviceMillis[index[device]] + 1);
            long last = first + pack - 1;
            lastDeviceMillis[index[device]] = last;
            StringBuilder b = json;
            b.setLength(0);
            b.append("[{\"bn\":\"").append(baseNames[device]).append("\",\"bt\":");
            seconds(b, first);
            b.append(",\"bu\":\"beat/min\",\"n\":\"heart_rate\",\"v\":").append(40 + random.nextInt(141)).append('}');
            for (int i = 1; i < pack; i++) {
                b.append(",{\"n\":\"heart_rate\",\"t\":0.").append(i < 10 ? "00" : i < 100 ? "0" : "").append(i)
                        .append(",\"v\":").append(40 + random.nextInt(141)).append('}');
            }
            b.append(']');
            MqttProperties properties = new MqttProperties();
            properties.setContentType(CONTENT_TYPE);
            MqttMessage message = new MqttMessage(b.toString().getBytes(StandardCharsets.US_ASCII), 1, false,
                    properties);
            if (latency != null) {
                latency.published(ids[device], last, System.nanoTime());
            }
            try {
                client.publish(topics[device], message, null, onAck);
                sentReadings.addAndGet(pack);
            } catch (MqttException e) {
                failedPublishes.incrementAndGet();
                window.release();
                if (latency != null) {
                    latency.notPublished(ids[device]);
                }
            }
        }

        void close() {
            PahoClients.closeQuietly(client);
        }
    }

    /** Epoch milliseconds as seconds with a three-digit fraction, exactly (no floating point). */
    static void seconds(StringBuilder b, long millis) {
        long ms = millis % 1000;
        b.append(millis / 1000).append('.');
        if (ms < 100) {
            b.append('0');
        }
        if (ms < 10) {
            b.append('0');
        }
        b.append(ms);
    }
}
