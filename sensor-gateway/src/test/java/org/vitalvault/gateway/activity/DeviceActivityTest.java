package org.vitalvault.gateway.activity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vitalvault.crypto.X25519KeyPair;
import org.vitalvault.gateway.ingest.DeviceOwner;
import org.vitalvault.gateway.ingest.DevicePayloadDecoder;
import org.vitalvault.gateway.ingest.InboundMessage;
import org.vitalvault.gateway.ingest.IngestListener;
import org.vitalvault.gateway.ingest.IngestPipeline;
import org.vitalvault.gateway.ingest.RecordValidator;
import org.vitalvault.gateway.ingest.RejectionLog;
import org.vitalvault.gateway.sealing.OwnerSealer;
import org.vitalvault.gateway.store.JdbcBatchStore;
import org.vitalvault.metric.MetricCatalogue;
import org.vitalvault.store.Migrations;
import org.vitalvault.wire.RejectionReason;
import org.vitalvault.wire.Topics;

/**
 * The owner's device activity (decision 048), end to end inside the gateway: the real pipeline,
 * its real store and the activity flusher, against a real PostgreSQL holding the vault's schema,
 * logged in as the gateway's least-privileged role.
 */
class DeviceActivityTest {

    private static EmbeddedPostgres postgres;
    /** As the gateway logs in in production: a member of vitalvault_gateway. */
    private static DataSource gateway;

    private UUID owner;
    private UUID device;
    private DeviceOwner deviceOwner;
    private DeviceActivityCounts counts;
    private DeviceActivityFlusher flusher;
    private IngestPipeline pipeline;

    @BeforeAll
    static void startPostgres() throws IOException, SQLException {
        postgres = EmbeddedPostgres.builder().start();
        try (Connection c = superuser(); Statement s = c.createStatement()) {
            Migrations.applyAll(c);
            s.execute("create role gateway login in role vitalvault_gateway");
        }
        gateway = postgres.getDatabase("gateway", "postgres");
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        postgres.close();
    }

    private static Connection superuser() throws SQLException {
        return postgres.getPostgresDatabase().getConnection();
    }

    @BeforeEach
    void pairADevice() throws SQLException {
        owner = UUID.randomUUID();
        device = UUID.randomUUID();
        X25519KeyPair keys = X25519KeyPair.generate(new SecureRandom());
        try (Connection c = superuser()) {
            try (PreparedStatement ps = c.prepareStatement("insert into owner values (?, ?, now())")) {
                ps.setObject(1, owner);
                ps.setString(2, "subject-" + owner);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into owner_key values (?, 1, ?, '\\x02'::bytea, 'kek', now(), null)")) {
                ps.setObject(1, owner);
                ps.setBytes(2, keys.publicKey());
                ps.executeUpdate();
            }
        }
        deviceOwner = new DeviceOwner(owner, 1, keys.publicKey(), null, false);
    }

    private void start(Duration flushInterval, int writeTimeoutSeconds) {
        counts = new DeviceActivityCounts(1000, Clock.systemUTC());
        flusher = new DeviceActivityFlusher(counts, new JdbcActivityStore(gateway, writeTimeoutSeconds), flushInterval);
        pipeline = new IngestPipeline(
                new DevicePayloadDecoder(65_536, 1000),
                new RecordValidator(MetricCatalogue.standard(), Duration.ofMinutes(5), Duration.ofDays(30)),
                id -> id.equals(device) ? Optional.of(deviceOwner) : Optional.empty(),
                new OwnerSealer(Duration.ofHours(1)),
                new JdbcBatchStore(gateway, Clock.systemUTC()),
                new IngestListener() {
                    @Override
                    public void rejected(RejectionReason reason, int records) {
                    }

                    @Override
                    public void committed(int messages, int readings, long commitNanos) {
                    }

                    @Override
                    public void storeFailed(int attempt) {
                    }
                },
                receipt -> { },
                new RejectionLog(100),
                counts,
                Clock.systemUTC(),
                new IngestPipeline.Settings(50, Duration.ofMillis(2), 100, Duration.ofMillis(100)),
                IngestPipeline.Limits.defaults());
        flusher.start();
        pipeline.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (pipeline != null) {
            pipeline.stop(Duration.ofSeconds(5));
        }
        if (flusher != null) {
            flusher.stop();
        }
    }

    private InboundMessage message(String json, CountDownLatch acked) {
        return new InboundMessage(Topics.readings(device), "application/senml+json", json.getBytes(StandardCharsets.UTF_8),
                System.currentTimeMillis(), acked::countDown);
    }

    @Test
    void aDevicesStoredAndRefusedRecordsAreCountedByReasonWithNoValue() throws Exception {
        start(Duration.ofHours(1), 5);
        CountDownLatch acked = new CountDownLatch(2);
        pipeline.offer(message("[{\"n\":\"heart_rate\",\"u\":\"beat/min\",\"v\":70,\"t\":-2},"
                + "{\"n\":\"heart_rate\",\"u\":\"beat/min\",\"v\":900,\"t\":-1},"
                + "{\"n\":\"mood\",\"v\":3,\"t\":-1}]", acked));
        pipeline.offer(message("[{\"n\":\"heart_rate\",\"u\":\"beat/min\",\"v\":901,\"t\":-1}]", acked));
        assertTrue(acked.await(30, TimeUnit.SECONDS));
        flusher.flush();

        try (Connection c = superuser(); PreparedStatement ps = c.prepareStatement(
                "select sum(accepted), sum(rejected_total), sum((rejected->>'out-of-range')::int),"
                        + " sum((rejected->>'unknown-metric')::int), max(last_at) is not null"
                        + " from device_activity where owner_id = ? and device_id = ?")) {
            ps.setObject(1, owner);
            ps.setObject(2, device);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertEquals(1, rs.getInt(1), "stored");
                assertEquals(3, rs.getInt(2), "refused");
                assertEquals(2, rs.getInt(3));
                assertEquals(1, rs.getInt(4));
                assertTrue(rs.getBoolean(5));
            }
        }
        assertEquals(List.of("owner_id", "device_id", "window_start", "last_at", "accepted", "rejected_total",
                "rejected", "recorded_at"), columns(), "counts and reason codes only: no value, no payload, no topic");
        assertEquals(0, flusher.rowsLost());
    }

    @Test
    void activityThatCannotBeWrittenNeitherLosesNorDelaysReadings() throws Exception {
        start(Duration.ofMillis(20), 1);
        try (Connection locker = superuser()) {
            // The activity table is stuck (locked by another session): every activity INSERT waits
            // for its statement timeout and fails.
            locker.setAutoCommit(false);
            try (Statement s = locker.createStatement()) {
                s.execute("lock table device_activity in access exclusive mode");
            }
            int messages = 20;
            CountDownLatch acked = new CountDownLatch(messages);
            for (int i = 0; i < messages; i++) {
                pipeline.offer(message("[{\"n\":\"heart_rate\",\"u\":\"beat/min\",\"v\":" + (60 + i) + ",\"t\":-"
                        + (messages - i) + "}]", acked));
                // Activity is counted for the earlier ones while the later ones arrive.
                if (i == messages / 2) {
                    assertTrue(await(() -> counts.devicesInWindow() > 0 || flusher.rowsLost() > 0));
                }
            }
            // With the lock still held: every message stored and acknowledged.
            assertTrue(acked.await(60, TimeUnit.SECONDS), "every message acknowledged while activity is stuck");
            assertEquals(messages, storedReadings(), "every reading stored");
            assertTrue(await(() -> flusher.rowsLost() > 0), "the stuck window's activity is counted as lost");
            locker.rollback();
        }
        // Once the table is free again, the next window is written.
        CountDownLatch acked = new CountDownLatch(1);
        pipeline.offer(message("[{\"n\":\"heart_rate\",\"u\":\"beat/min\",\"v\":99,\"t\":-1}]", acked));
        assertTrue(acked.await(30, TimeUnit.SECONDS));
        assertTrue(await(() -> flusher.rowsWritten() > 0), "activity written again");
    }

    @Test
    void anOwnerErasedDuringTheWindowLosesOnlyItsOwnActivityRows() throws Exception {
        UUID otherOwner = UUID.randomUUID();
        try (Connection c = superuser(); PreparedStatement ps = c.prepareStatement("insert into owner values (?, ?, now())")) {
            ps.setObject(1, otherOwner);
            ps.setString(2, "subject-" + otherOwner);
            ps.executeUpdate();
        }
        DeviceActivityCounts window = new DeviceActivityCounts(10, Clock.systemUTC());
        DeviceActivityFlusher f = new DeviceActivityFlusher(window, new JdbcActivityStore(gateway, 5), Duration.ofHours(1));
        UUID erased = UUID.randomUUID();
        window.record(owner, device, System.currentTimeMillis(), 3, Map.of());
        window.record(erased, UUID.randomUUID(), System.currentTimeMillis(), 1, Map.of(RejectionReason.TOO_OLD, 2));
        window.record(otherOwner, UUID.randomUUID(), System.currentTimeMillis(), 0, Map.of(RejectionReason.MALFORMED, 1));
        f.flush();
        assertEquals(2, f.rowsWritten());
        assertEquals(1, f.rowsLost());
        try (Connection c = superuser(); PreparedStatement ps = c.prepareStatement(
                "select count(*) from device_activity where owner_id = ?")) {
            ps.setObject(1, erased);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(0, rs.getInt(1));
            }
        }
    }

    @Test
    void aWindowHoldsAtMostItsBoundOfDevicesAndCountsTheRest() {
        DeviceActivityCounts window = new DeviceActivityCounts(2, Clock.systemUTC());
        for (int i = 0; i < 5; i++) {
            window.record(owner, UUID.randomUUID(), 1, 1, Map.of());
        }
        window.record(owner, device, 1, 1, Map.of());
        assertEquals(2, window.devicesInWindow());
        assertEquals(4, window.devicesDropped());
        assertEquals(2, window.drain().size());
        assertEquals(0, window.devicesInWindow(), "a new window");
        window.record(owner, device, 1, 1, Map.of());
        assertFalse(window.drain().isEmpty());
    }

    private int storedReadings() throws SQLException {
        try (Connection c = superuser(); PreparedStatement ps = c.prepareStatement(
                "select coalesce(sum(reading_count), 0) from reading_batch where owner_id = ?")) {
            ps.setObject(1, owner);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static List<String> columns() throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection c = superuser(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "select column_name from information_schema.columns where table_name = 'device_activity'"
                        + " order by ordinal_position")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    private static boolean await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(10);
        }
        return condition.getAsBoolean();
    }
}
