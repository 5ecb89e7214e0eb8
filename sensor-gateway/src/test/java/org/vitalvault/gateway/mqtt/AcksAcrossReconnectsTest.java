package org.vitalvault.gateway.mqtt;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitalvault.crypto.X25519KeyPair;
import org.vitalvault.gateway.ingest.DeviceOwner;
import org.vitalvault.gateway.ingest.IngestPipeline;
import org.vitalvault.gateway.ingest.ReadingTopic;
import org.vitalvault.gateway.ingest.StoreUnavailableException;
import org.vitalvault.store.SealedBatch;
import org.vitalvault.wire.Topics;

/**
 * The gateway's acknowledgements across a reconnect of its ingest connection, against a real
 * broker (HiveMQ CE) through Paho: the real {@link MqttIngestClient} and {@link IngestPipeline},
 * with a store the test opens message by message, and the broker reporting which message each
 * PUBACK it receives settles.
 *
 * <p>The sequence the hazard needs: messages are in the pipeline when the connection drops; the
 * broker delivers them again on the new connection (under packet ids of that connection) while
 * the old copies are still in the pipeline; the old copies commit; new messages arrive; the
 * redelivered copies commit; the gateway crashes before the new messages commit; a new gateway
 * takes over the session.
 */
class AcksAcrossReconnectsTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String CLIENT_ID = "gw-acks-test";
    private static final int N = 5;

    @TempDir
    Path brokerDir;

    /** Device → its owner; one message per device, so the store's owner ids say which messages committed. */
    private final Map<UUID, DeviceOwner> devices = new ConcurrentHashMap<>();
    private final Map<UUID, String> names = new ConcurrentHashMap<>();
    /** Owner → how many times its message was committed. */
    private final Map<UUID, Integer> stored = new ConcurrentHashMap<>();
    private final AtomicInteger arrivals = new AtomicInteger();
    private final List<String> ackedBeforeCommit = new CopyOnWriteArrayList<>();
    private final List<String> ackedAfterCommit = new CopyOnWriteArrayList<>();
    private final List<Integer> unmatchedAcks = new CopyOnWriteArrayList<>();

    @Test
    void noPubackIsSentTwiceForOneDeliveryOrSettlesAMessageNotYetCommitted() throws Exception {
        TestBroker.AckObserver observer = new TestBroker.AckObserver() {
            @Override
            public void acknowledged(String topic) {
                UUID device = ReadingTopic.parse(topic).orElseThrow().deviceId();
                boolean committed = stored.containsKey(devices.get(device).ownerId());
                (committed ? ackedAfterCommit : ackedBeforeCommit).add(names.get(device));
            }

            @Override
            public void unmatched(int packetId) {
                unmatchedAcks.add(packetId);
            }
        };
        List<UUID> first = pair("d", N);
        List<UUID> second = pair("e", N);
        try (TestBroker broker = TestBroker.start(brokerDir, CLIENT_ID, observer);
             TcpProxy proxy = TcpProxy.to(broker.port())) {
            MqttClient device = new MqttClient(broker.url(), "devices", new MemoryPersistence());
            device.connect(new MqttConnectionOptions());

            GatedStore gated = new GatedStore();
            IngestPipeline pipeline = pipeline(gated);
            pipeline.start();
            MqttIngestClient gateway = new MqttIngestClient(settings(proxy.url()), pipeline, Clock.systemUTC());
            gateway.start();
            await("gateway subscribed", () -> broker.subacks() >= 1);

            // The first messages reach the pipeline and wait there: nothing commits yet. (The broker
            // is given them while the gateway is away, so that it sends them in one round.)
            proxy.pause();
            publish(device, first);
            proxy.resume();
            await("first messages in the pipeline", () -> arrivals.get() == N);

            // The ingest connection drops; the gateway reconnects; the broker delivers them again.
            proxy.cut();
            await("first messages delivered again after the reconnect", () -> arrivals.get() == 2 * N);

            // New messages wait at the broker (HiveMQ sends the next round when this one is acknowledged).
            publish(device, second);

            // The old copies commit, and their acks come late, after the reconnect.
            gated.open(N);
            await("old copies committed", () -> gateway.unacknowledged() == N);
            awaitQuietly(() -> arrivals.get() == 3 * N, Duration.ofSeconds(3));

            // The redelivered copies commit and are acknowledged; the new messages are not committed.
            int pubacksBefore = broker.pubacks();
            gated.open(N);
            await("new messages in the pipeline", () -> arrivals.get() == 3 * N);
            await("redelivered copies committed and acknowledged", () -> gateway.unacknowledged() == N);
            await("their PUBACKs at the broker", () -> broker.pubacks() >= pubacksBefore + N);
            assertEquals(N, gateway.staleAcksDropped(), "the old copies' acks, dropped");

            // The gateway crashes before the new messages commit.
            proxy.close();
            gated.crash();
            gateway.stop();
            pipeline.stop(Duration.ofSeconds(3));

            // A new gateway takes over the session; whatever the broker still holds is delivered to it.
            IngestPipeline restarted = pipeline(GatedStore.opened());
            restarted.start();
            MqttIngestClient again = new MqttIngestClient(settings(broker.url()), restarted, Clock.systemUTC());
            again.start();
            try {
                awaitQuietly(() -> missing(first, second).isEmpty(), WAIT);
            } finally {
                again.stop();
                restarted.stop(Duration.ofSeconds(5));
                device.disconnect();
                device.close();
            }
        }

        assertAll(
                () -> assertEquals(List.of(), ackedBeforeCommit,
                        "messages the broker took as delivered before they were committed"),
                () -> assertEquals(List.of(), unmatchedAcks,
                        "PUBACKs that matched no delivery in flight (a second PUBACK for one delivery)"),
                () -> assertEquals(List.of(), missing(first, second), "messages never stored: lost"),
                () -> assertTrue(ackedAfterCommit.containsAll(names.values()),
                        "every message settled at the broker after its commit: " + ackedAfterCommit));
    }

    private List<UUID> pair(String prefix, int count) {
        List<UUID> ids = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            UUID device = UUID.randomUUID();
            devices.put(device, new DeviceOwner(UUID.randomUUID(), 1,
                    X25519KeyPair.generate(new SecureRandom()).publicKey(), null, false));
            names.put(device, prefix + i);
            ids.add(device);
        }
        return ids;
    }

    private List<String> missing(List<UUID> first, List<UUID> second) {
        List<String> missing = new ArrayList<>();
        for (List<UUID> group : List.of(first, second)) {
            for (UUID device : group) {
                if (!stored.containsKey(devices.get(device).ownerId())) {
                    missing.add(names.get(device));
                }
            }
        }
        return missing;
    }

    private static void publish(MqttClient device, List<UUID> ids) throws Exception {
        for (UUID id : ids) {
            MqttMessage message = new MqttMessage(
                    "[{\"n\":\"heart_rate\",\"u\":\"beat/min\",\"v\":70,\"t\":-1}]".getBytes(StandardCharsets.UTF_8));
            message.setQos(1);
            MqttProperties properties = new MqttProperties();
            properties.setContentType("application/senml+json");
            message.setProperties(properties);
            device.publish(Topics.readings(id), message);
        }
    }

    private static MqttIngestClient.Settings settings(String url) {
        return new MqttIngestClient.Settings(url, CLIENT_ID, null, null, Topics.GATEWAY_SHARE_GROUP, 100,
                Duration.ofHours(1), Duration.ZERO, 81_920);
    }

    private IngestPipeline pipeline(GatedStore gate) {
        return TestPipelines.oneMessagePerBatch(id -> {
            arrivals.incrementAndGet();
            return Optional.ofNullable(devices.get(id));
        }, (epochs, batches) -> gate.write(batches, stored));
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        assertTrue(awaitQuietly(condition, WAIT), "timed out waiting: " + what);
    }

    private static boolean awaitQuietly(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /** A store whose commits the test lets through one at a time; a crashed one never commits again. */
    private static final class GatedStore {
        private final Semaphore permits = new Semaphore(0);
        private volatile boolean crashed;

        static GatedStore opened() {
            GatedStore store = new GatedStore();
            store.open(Integer.MAX_VALUE / 2);
            return store;
        }

        void open(int commits) {
            permits.release(commits);
        }

        void crash() {
            crashed = true;
        }

        void write(List<SealedBatch> batches, Map<UUID, Integer> stored) throws StoreUnavailableException {
            try {
                while (!permits.tryAcquire(20, TimeUnit.MILLISECONDS)) {
                    if (crashed) {
                        throw new StoreUnavailableException("crashed", null);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreUnavailableException("interrupted", e);
            }
            if (crashed) {
                throw new StoreUnavailableException("crashed", null);
            }
            for (SealedBatch b : batches) {
                stored.merge(b.ownerId(), 1, Integer::sum);
            }
        }
    }
}
