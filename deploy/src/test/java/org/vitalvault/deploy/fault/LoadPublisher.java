package org.vitalvault.deploy.fault;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.vitalvault.wire.Topics;

/**
 * Devices publishing heart-rate packs with QoS 1, each device on its own thread, one pack at a
 * time until the broker acknowledges it (PUBACK). It keeps, per device, the device times of every
 * reading the broker acknowledged: those the system has promised to keep, which the fault tests
 * check are each stored once. When the broker goes away the device reconnects with a fresh session
 * and resends the unacknowledged pack — a device retry, which may duplicate what the broker had
 * already taken; the vault must count it once. A PUBACK with an error reason (0x80 and above, e.g.
 * 0x97 over the device quota) is not an acknowledgement: the pack is sent again.
 */
final class LoadPublisher implements AutoCloseable {

    private final String brokerUrl;
    private final List<TestFleet.Member> fleet;
    private final int packsPerDevice;
    private final int packSize;
    private final long baseTimeMillis;
    private final Map<UUID, Set<Long>> acknowledged = new ConcurrentHashMap<>();
    private final AtomicLong acknowledgedReadings = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private final int packsPerSecond;
    private final Map<UUID, AtomicInteger> packsSent = new ConcurrentHashMap<>();
    private final Map<UUID, AtomicInteger> packsAcknowledged = new ConcurrentHashMap<>();
    private final Map<UUID, ReceiptTally> receipts = new ConcurrentHashMap<>();
    private boolean withReceipts;
    private volatile boolean stopped;

    LoadPublisher(String brokerUrl, List<TestFleet.Member> fleet, int packsPerDevice, int packSize) {
        this(brokerUrl, fleet, packsPerDevice, packSize, 0);
    }

    /** @param packsPerSecond pace per device, so that a fault lands mid-stream (0: as fast as acknowledged) */
    LoadPublisher(String brokerUrl, List<TestFleet.Member> fleet, int packsPerDevice, int packSize, int packsPerSecond) {
        this.packsPerSecond = packsPerSecond;
        this.brokerUrl = brokerUrl;
        this.fleet = fleet;
        this.packsPerDevice = packsPerDevice;
        this.packSize = packSize;
        // Ten minutes ago, 10 ms apart: inside the accepted window, and every reading has its own time.
        this.baseTimeMillis = (System.currentTimeMillis() - 600_000) / 1000 * 1000;
    }

    long baseTimeMillis() {
        return baseTimeMillis;
    }

    int fleetSize() {
        return fleet.size();
    }

    long totalReadings() {
        return (long) fleet.size() * packsPerDevice * packSize;
    }

    /**
     * Each device also subscribes to its receipts (before its first publish, again after each
     * reconnect) and keeps them ({@link #receipts}). Call before {@link #start()}.
     */
    LoadPublisher withReceipts() {
        withReceipts = true;
        return this;
    }

    void start() {
        for (TestFleet.Member m : fleet) {
            acknowledged.put(m.device().deviceId(), ConcurrentHashMap.newKeySet());
            packsSent.put(m.device().deviceId(), new AtomicInteger());
            packsAcknowledged.put(m.device().deviceId(), new AtomicInteger());
            receipts.put(m.device().deviceId(), new ReceiptTally());
            Thread t = new Thread(() -> run(m.device()), "publisher-" + m.device().deviceId());
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);
    }

    private void run(org.vitalvault.deploy.stack.VaultClient.Pairing device) {
        UUID id = device.deviceId();
        MqttClient client = null;
        long started = System.nanoTime();
        for (int pack = 0; pack < packsPerDevice && !stopped; pack++) {
            if (packsPerSecond > 0) {
                long due = started + pack * 1_000_000_000L / packsPerSecond;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    sleep(wait / 1_000_000);
                }
            }
            long first = baseTimeMillis + (long) pack * packSize * 10;
            MqttMessage message = new MqttMessage(pack(id, first));
            message.setQos(1);
            packsSent.get(id).set(pack + 1);
            while (!stopped) {
                try {
                    if (client == null || !client.isConnected()) {
                        client = connect(device, client);
                    }
                    IMqttToken token = client.getTopic(Topics.readings(id)).publish(message);
                    token.waitForCompletion(10_000);
                    int[] reasons = token.getReasonCodes();
                    if (reasons != null && reasons.length > 0 && reasons[0] >= 0x80) {
                        // Refused by the broker (e.g. 0x97 over the device quota): not acknowledged, send again.
                        retries.incrementAndGet();
                        sleep(200);
                        continue;
                    }
                    Set<Long> times = acknowledged.get(id);
                    for (int i = 0; i < packSize; i++) {
                        times.add(first + i * 10L);
                    }
                    acknowledgedReadings.addAndGet(packSize);
                    packsAcknowledged.get(id).incrementAndGet();
                    break;
                } catch (MqttException e) {
                    retries.incrementAndGet();
                    sleep(200);
                }
            }
        }
        closeQuietly(client);
    }

    private MqttClient connect(org.vitalvault.deploy.stack.VaultClient.Pairing device, MqttClient previous)
            throws MqttException {
        closeQuietly(previous);
        MqttClient client = new MqttClient(brokerUrl, device.deviceId().toString(), new MemoryPersistence());
        client.setTimeToWait(10_000);
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setUserName(device.deviceId().toString());
        o.setPassword(device.credential().getBytes(StandardCharsets.UTF_8));
        o.setCleanStart(true);
        o.setConnectionTimeout(5);
        if (withReceipts) {
            client.setCallback(receipts.get(device.deviceId()));
        }
        client.connect(o);
        if (withReceipts) {
            client.subscribe(new MqttSubscription[] {new MqttSubscription(Topics.receipts(device.deviceId()), 1)})
                    .waitForCompletion(10_000);
        }
        return client;
    }

    private byte[] pack(UUID device, long firstMillis) {
        StringBuilder sb = new StringBuilder(40 + packSize * 40);
        sb.append("[{\"bn\":\"urn:dev:uuid:").append(device).append(":\",\"bt\":").append(firstMillis / 1000d)
                .append(",\"bu\":\"beat/min\"");
        for (int i = 0; i < packSize; i++) {
            sb.append(i == 0 ? "," : ",{");
            sb.append("\"n\":\"heart_rate\",\"t\":").append(i * 0.01).append(",\"v\":")
                    .append(50 + (firstMillis / 10 + i) % 100).append('}');
        }
        return sb.append(']').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Waits until every pack was acknowledged or the timeout passed. */
    void awaitPublished(long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        for (Thread t : threads) {
            t.join(Math.max(1, deadline - System.currentTimeMillis()));
        }
    }

    long acknowledgedReadings() {
        return acknowledgedReadings.get();
    }

    /** Publishes that failed and were sent again. */
    long retries() {
        return retries.get();
    }

    Set<Long> acknowledgedTimes(UUID device) {
        return acknowledged.get(device);
    }

    /** Packs of {@code device} the broker acknowledged so far. */
    int acknowledgedPacks(UUID device) {
        return packsAcknowledged.get(device).get();
    }

    /**
     * Device times of every reading {@code device} sent at least once, acknowledged or not: nothing
     * outside them may be stored.
     */
    Set<Long> sentTimes(UUID device) {
        Set<Long> times = new java.util.HashSet<>();
        int packs = packsSent.get(device).get();
        for (int pack = 0; pack < packs; pack++) {
            long first = baseTimeMillis + (long) pack * packSize * 10;
            for (int i = 0; i < packSize; i++) {
                times.add(first + i * 10L);
            }
        }
        return times;
    }

    /** The value every reading at device time {@code timeMillis} was sent with (see {@link #pack}). */
    static double valueAt(long timeMillis) {
        return 50 + (timeMillis / 10) % 100;
    }

    /** The receipts {@code device} received (empty unless {@link #withReceipts()}). */
    ReceiptTally receipts(UUID device) {
        return receipts.get(device);
    }

    @Override
    public void close() {
        stopped = true;
    }

    private static void closeQuietly(MqttClient client) {
        if (client == null) {
            return;
        }
        try {
            if (client.isConnected()) {
                client.disconnect(1000);
            }
        } catch (MqttException ignored) {
            // going away anyway
        }
        try {
            client.close(true);
        } catch (MqttException ignored) {
            // going away anyway
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
