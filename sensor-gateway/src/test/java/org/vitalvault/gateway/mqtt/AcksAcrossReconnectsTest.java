package org.vitalvault.gateway.mqtt;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitalvault.crypto.X25519KeyPair;
import org.vitalvault.gateway.ingest.DeviceOwner;
import org.vitalvault.gateway.ingest.IngestPipeline;
import org.vitalvault.gateway.ingest.ReadingTopic;
import org.vitalvault.gateway.ingest.StoreRejectedException;
import org.vitalvault.gateway.ingest.StoreUnavailableException;
import org.vitalvault.gateway.store.JdbcBatchStore;
import org.vitalvault.store.Migrations;
import org.vitalvault.store.SealedBatch;
import org.vitalvault.wire.Topics;

/**
 * The gateway's acknowledgements across a reconnect of its ingest connection, against a real
 * broker (HiveMQ CE) through Paho and a real PostgreSQL: the real {@link MqttIngestClient},
 * {@link IngestPipeline} and {@link JdbcBatchStore}, behind a gate the test opens commit by commit,
 * and the broker reporting which message each PUBACK it receives settles.
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

    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        try (Connection c = postgres.getPostgresDatabase().getConnection()) {
            Migrations.applyAll(c);
        }
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    /** Device → its owner; one message per device, so the store's owner ids say which messages committed. */
    private final Map<UUID, DeviceOwner> devices = new ConcurrentHashMap<>();
    private final Map<UUID, String> names = new ConcurrentHashMap<>();
    /** Owner → how many times its message was committed (as the gate saw it, for the broker's checks). */
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
        long staleAcks;
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
            await("old copies committed", () -> commits() == N);
            awaitQuietly(() -> arrivals.get() == 3 * N, Duration.ofSeconds(3));

            // The redelivered copies commit and are acknowledged; the new messages are not committed.
            int pubacksBefore = broker.pubacks();
            gated.open(N);
            await("new messages in the pipeline", () -> arrivals.get() == 3 * N);
            await("redelivered copies committed and acknowledged", () -> gateway.unacknowledged() == N);
            await("their PUBACKs at the broker", () -> broker.pubacks() >= pubacksBefore + N);
            staleAcks = gateway.staleAcksDropped();

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
                () -> assertEquals(expectedRows(first, second), rowsInPostgres(),
                        "sealed rows per message: the first ones twice (the copy from before the reconnect"
                                + " and the one delivered again, duplicates the vault's reads drop), the new ones once"),
                () -> assertEquals(N, staleAcks, "the old copies' late acks, dropped"),
                () -> assertTrue(ackedAfterCommit.containsAll(names.values()),
                        "every message settled at the broker after its commit: " + ackedAfterCommit));
    }

    /** Devices with an owner each, the owners registered in PostgreSQL. */
    private List<UUID> pair(String prefix, int count) throws Exception {
        List<UUID> ids = new ArrayList<>();
        try (Connection c = postgres.getPostgresDatabase().getConnection()) {
            for (int i = 1; i <= count; i++) {
                UUID device = UUID.randomUUID();
                UUID owner = UUID.randomUUID();
                try (PreparedStatement ps = c.prepareStatement("insert into owner values (?, ?, now())")) {
                    ps.setObject(1, owner);
                    ps.setString(2, "subject-" + owner);
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "insert into owner_key values (?, 1, '\\x01'::bytea, '\\x02'::bytea, 'kek', now(), null)")) {
                    ps.setObject(1, owner);
                    ps.executeUpdate();
                }
                devices.put(device, new DeviceOwner(owner, 1,
                        X25519KeyPair.generate(new SecureRandom()).publicKey(), null, false));
                names.put(device, prefix + i);
                ids.add(device);
            }
        }
        return ids;
    }

    private Map<String, Integer> expectedRows(List<UUID> first, List<UUID> second) {
        Map<String, Integer> expected = new TreeMap<>();
        first.forEach(d -> expected.put(names.get(d), 2));
        second.forEach(d -> expected.put(names.get(d), 1));
        return expected;
    }

    /** Message name → sealed rows of its owner in reading_batch. */
    private Map<String, Integer> rowsInPostgres() throws Exception {
        Map<UUID, String> byOwner = new HashMap<>();
        devices.forEach((device, owner) -> byOwner.put(owner.ownerId(), names.get(device)));
        Map<String, Integer> rows = new TreeMap<>();
        try (Connection c = postgres.getPostgresDatabase().getConnection();
             PreparedStatement ps = c.prepareStatement("select owner_id, count(*) from reading_batch group by owner_id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.put(byOwner.get(rs.getObject(1, UUID.class)), rs.getInt(2));
            }
        }
        return rows;
    }

    private int commits() {
        return stored.values().stream().mapToInt(Integer::intValue).sum();
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
        // An absolute device time: both copies of a message carry the same reading.
        long t = Instant.now().getEpochSecond() - 60;
        for (UUID id : ids) {
            MqttMessage message = new MqttMessage(("[{\"n\":\"heart_rate\",\"u\":\"beat/min\",\"v\":70,\"t\":" + t + "}]")
                    .getBytes(StandardCharsets.UTF_8));
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
        JdbcBatchStore postgresStore = new JdbcBatchStore(postgres.getPostgresDatabase(), Clock.systemUTC());
        return TestPipelines.oneMessagePerBatch(id -> {
            arrivals.incrementAndGet();
            return Optional.ofNullable(devices.get(id));
        }, (epochs, batches) -> gate.write(() -> postgresStore.write(epochs, batches), batches, stored));
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

    /** A gate in front of the store: the test lets commits through one at a time; a crashed one never commits again. */
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

        void write(Commit commit, List<SealedBatch> batches, Map<UUID, Integer> stored)
                throws StoreUnavailableException, StoreRejectedException {
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
            commit.run();
            for (SealedBatch b : batches) {
                stored.merge(b.ownerId(), 1, Integer::sum);
            }
        }
    }

    /** The store's write. */
    private interface Commit {
        void run() throws StoreUnavailableException, StoreRejectedException;
    }
}
