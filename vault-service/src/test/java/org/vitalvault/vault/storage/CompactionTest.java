package org.vitalvault.vault.storage;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.vitalvault.crypto.SealBrokenException;
import org.vitalvault.metric.Metric;
import org.vitalvault.metric.MetricCatalogue;
import org.vitalvault.reading.Reading;
import org.vitalvault.segment.HourRollup;
import org.vitalvault.segment.SegmentCodec;
import org.vitalvault.store.CohortRollups;
import org.vitalvault.store.DayRollups;
import org.vitalvault.vault.keys.OwnerKeyring;
import org.vitalvault.vault.readings.OwnerData;
import org.vitalvault.vault.support.DailyRollupState;
import org.vitalvault.vault.support.GatewayWrites;
import org.vitalvault.vault.support.Tokens;

/**
 * Compaction against a real PostgreSQL: pending batches become one sealed, compressed hour with its
 * rollup, and no read can tell the difference — except that it is smaller and faster.
 */
@QuarkusTest
class CompactionTest {

    private static final Metric HEART_RATE = MetricCatalogue.standard().byCode("heart_rate").orElseThrow();
    private static final Duration NO_GRACE = Duration.ZERO;
    private static final Duration LONG_GRACE = Duration.ofDays(2);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    CompactionJob compactor;

    @Inject
    OwnerData data;

    @Inject
    OwnerKeyring keyring;

    private final Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(3, ChronoUnit.HOURS);
    private final UUID device = UUID.randomUUID();

    private List<Reading> oneHertz(Instant start, int seconds, int firstBpm) {
        List<Reading> readings = new ArrayList<>();
        for (int i = 0; i < seconds; i++) {
            long t = start.toEpochMilli() + i * 1000L;
            readings.add(new Reading(device, t, t + 150, firstBpm + (i % 7)));
        }
        return readings;
    }

    private void compactAll() throws SQLException {
        while (compactor.compact(1000, LONG_GRACE, LONG_GRACE).hoursCompacted() > 0) {
            // until nothing is pending
        }
    }

    private long count(String table, UUID owner) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select count(*) from " + table + " where owner_id = ?")) {
            ps.setObject(1, owner);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private List<Reading> readHour(UUID owner) {
        return data.raw(owner, HEART_RATE, hour, hour.plus(Duration.ofHours(1)));
    }

    /** The owner's sealed daily rollup of {@code day}, opened; empty when there is no row. */
    private java.util.Optional<HourRollup> dayRollup(UUID owner, Instant day) {
        Instant next = day.plus(Duration.ofDays(1));
        return data.inSnapshot(owner, (c, keys) -> {
            List<CohortRollups.Row> rows = CohortRollups.read(c, List.of(owner), "heart_rate", day, next, day, next)
                    .rows().getOrDefault(owner, List.of());
            return rows.isEmpty() ? java.util.Optional.<HourRollup>empty()
                    : java.util.Optional.of(rows.get(0).open(owner, "heart_rate", keys));
        });
    }

    private HourRollup rollupOfRawDay(UUID owner, Instant day) {
        return HourRollup.of(HEART_RATE, data.raw(owner, HEART_RATE, day, day.plus(Duration.ofDays(1))));
    }

    private Set<UUID> epochsOf(UUID owner, String table) throws SQLException {
        Set<UUID> epochs = new java.util.HashSet<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select epoch_id from " + table + " where owner_id = ?")) {
            ps.setObject(1, owner);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    epochs.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return epochs;
    }

    private void setDailyRollupsComplete(boolean complete) throws SQLException {
        DailyRollupState.setComplete(dataSource, complete);
    }

    @Test
    void compactionTurnsPendingBatchesIntoOneSealedHourThatReadsTheSame() throws Exception {
        UUID owner = Tokens.register(Tokens.newOwnerToken());
        List<Reading> readings = oneHertz(hour.plusSeconds(60), 600, 60);
        GatewayWrites.writeSealed(dataSource, owner, "heart_rate", hour, readings.subList(0, 300));
        GatewayWrites.writeSealed(dataSource, owner, "heart_rate", hour, readings.subList(300, 600));
        // A redelivered message: the same readings, received later, in another batch.
        GatewayWrites.writeSealed(dataSource, owner, "heart_rate", hour, readings.subList(250, 350).stream()
                .map(r -> new Reading(r.deviceId(), r.deviceTimeMillis(), r.receivedTimeMillis() + 5000, r.value())).toList());
        List<Reading> before = readHour(owner);
        assertEquals(readings, before, "pending reads are duplicate-free already");

        compactAll();

        assertEquals(0, count("reading_batch", owner));
        assertEquals(1, count("reading_segment", owner));
        assertEquals(readings, readHour(owner), "the first received copy of a duplicate wins, before and after");
        OwnerData.HourAggregate agg = data.hourly(owner, HEART_RATE, hour, hour.plus(Duration.ofHours(1))).get(0);
        assertEquals(HourRollup.of(HEART_RATE, readings), agg.rollup());
    }

    @Test
    void theBackgroundPassWaitsForAnHourToSettleUnlessItsPendingBatchesPileUp() throws Exception {
        UUID owner = Tokens.register(Tokens.newOwnerToken());
        List<Reading> readings = oneHertz(hour, 30, 70);
        GatewayWrites.writeSealed(dataSource, owner, "heart_rate", hour, readings.subList(0, 10));
        GatewayWrites.writeSealed(dataSource, owner, "heart_rate", hour, readings.subList(10, 20));
        Settling settling = new Settling(Duration.ofHours(1), 3);

        compactor.compact(1000, settling, LONG_GRACE, LONG_GRACE);
        assertEquals(2, count("reading_batch", owner), "two fresh batches: not yet worth re-sealing the hour");
        assertEquals(readings.subList(0, 20), readHour(owner), "pending batches are read all the same");

        GatewayWrites.writeSealed(dataSource, owner, "heart_rate", hour, readings.subList(20, 30));
        compactor.compact(1000, settling, LONG_GRACE, LONG_GRACE);
        assertEquals(0, count("reading_batch", owner), "the third batch made the hour due");
        assertEquals(readings, readHour(owner));
    }

    @Test
    void compactionRunTwiceChangesNothing() throws Exception {
        UUID owner = Tokens.register(Tokens.newOwnerToken());
        GatewayWrites.writeSealed(dataSource, owner, "heart_rate", hour, oneHertz(hour, 120, 70));
        compactAll();
        byte[] points = segmentColumn(owner, "points");
        byte[] rollup = segmentColumn(owner, "rollup");

        CompactionJob.Result again = compactor.compact(1000, LONG_GRACE, LONG_GRACE);

        assertEquals(0, again.hoursCompacted());
        assertArrayEquals(points, segmentColumn(owner, "points"), "the sealed hour was not rewritten");
        assertArrayEquals(rollup, segmentColumn(owner, "rollup"));
    }

    @Test
    void lateDataLandsInItsHourAndRollup() throws Exception {
        UUID owner = Tokens.register(Tokens.newOwnerToken());
        List<Reading> first = oneHertz(hour, 60, 70);
        GatewayWrites.writeSealed(dataSource, owner, "heart_rate", hour, first);
        compactAll();
        // Three days later the strap syncs its offline buffer for that hour.
        List<Reading> late = oneHertz(hour.plusSeconds(1800), 60, 90);
        GatewayWrites.writeSealed(dataSource, owner, "heart_rate", hour, late);
        List<Reading> expected = new ArrayList<>(first);
        expected.addAll(late);

        assertEquals(expected, readHour(owner), "pending late data is visible before compaction");
        compactAll();

        assertEquals(1, count("reading_segment", owner));
        assertEquals(expected, readHour(owner));
        assertEquals(120, data.hourly(owner, HEART_RATE, hour, hour.plus(Duration.ofHours(1))).get(0).rollup().count());
    }

    @Test
    void compactionRacingIngestOnTwoReplicasLosesAndDoublesNothing() throws Exception {
        UUID owner = Tokens.register(Tokens.newOwnerToken());
        Set<Long> written = ConcurrentHashMap.newKeySet();
        AtomicBoolean ingesting = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            Future<?> ingest = pool.submit(() -> {
                Random random = new Random(7);
                for (int batch = 0; batch < 60; batch++) {
                    Instant h = hour.minus(random.nextInt(3), ChronoUnit.HOURS);
                    List<Reading> rs = new ArrayList<>();
                    for (int i = 0; i < 20; i++) {
                        // Some times repeat across batches: redeliveries.
                        long t = h.toEpochMilli() + random.nextInt(400) * 1000L;
                        rs.add(new Reading(device, t, t + 100, 60 + random.nextInt(40)));
                        written.add(t);
                    }
                    GatewayWrites.writeSealed(dataSource, owner, "heart_rate", h, rs);
                }
                ingesting.set(false);
                return null;
            });
            List<Future<?>> replicas = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                replicas.add(pool.submit(() -> {
                    while (ingesting.get()) {
                        compactor.compact(5, LONG_GRACE, LONG_GRACE);
                    }
                    return null;
                }));
            }
            ingest.get();
            for (Future<?> f : replicas) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        compactAll();

        assertEquals(0, count("reading_batch", owner));
        List<Reading> all = data.raw(owner, HEART_RATE, hour.minus(2, ChronoUnit.HOURS), hour.plus(1, ChronoUnit.HOURS));
        assertEquals(written.size(), all.size(), "every distinct reading exactly once");
        assertEquals(written, Set.copyOf(all.stream().map(Reading::deviceTimeMillis).toList()));
        for (Instant day : Set.copyOf(List.of(DayRollups.dayOf(hour), DayRollups.dayOf(hour.minus(2, ChronoUnit.HOURS))))) {
            assertEquals(java.util.Optional.of(rollupOfRawDay(owner, day)), dayRollup(owner, day),
                    "the day's sealed rollup is the merge of its hours, however the replicas interleaved");
        }
    }

    @Test
    void everyPassSealsAnOwnersHoursAndDaysUnderTheOwnersOneVaultEpoch() throws Exception {
        UUID owner = Tokens.register(Tokens.newOwnerToken());
        for (int h = 0; h < 3; h++) {
            Instant bucket = hour.minus(h, ChronoUnit.HOURS);
            GatewayWrites.writeSealed(dataSource, owner, "heart_rate", bucket, oneHertz(bucket, 30, 60 + h));
        }

        compactor.compactOwner(owner, 1); // one hour per pass: three passes
        GatewayWrites.writeSealed(dataSource, owner, "heart_rate", hour, oneHertz(hour.plusSeconds(600), 30, 90));
        compactor.compactOwner(owner, 1);

        assertEquals(0, count("reading_batch", owner));
        Set<UUID> vaultEpoch = epochsOf(owner, "vault_epoch");
        assertEquals(1, vaultEpoch.size());
        assertEquals(vaultEpoch, epochsOf(owner, "reading_segment"), "one data key opens all of the owner's hours");
        assertEquals(vaultEpoch, epochsOf(owner, "reading_day"), "and days");
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select kek_id, wrapped_data_key is not null from vault_epoch where owner_id = ?")) {
            ps.setObject(1, owner);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertEquals(keyring.kekId(), rs.getString(1), "its data key is wrapped by the KEK, so reads need no X25519");
                assertTrue(rs.getBoolean(2));
            }
        }
        for (Instant day : Set.copyOf(List.of(DayRollups.dayOf(hour), DayRollups.dayOf(hour.minus(2, ChronoUnit.HOURS))))) {
            assertEquals(java.util.Optional.of(rollupOfRawDay(owner, day)), dayRollup(owner, day));
        }
    }

    @Test
    void daysCompactedBeforeDailyRollupsExistedAreFilledInByCompaction() throws Exception {
        UUID owner = Tokens.register(Tokens.newOwnerToken());
        GatewayWrites.writeSealed(dataSource, owner, "heart_rate", hour, oneHertz(hour, 90, 65));
        compactAll();
        Instant day = DayRollups.dayOf(hour);
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("delete from reading_day where owner_id = ?")) {
            ps.setObject(1, owner);
            ps.executeUpdate();
        }
        setDailyRollupsComplete(false);
        try {
            assertEquals(java.util.Optional.empty(), dayRollup(owner, day));

            while (compactor.compact(1000, LONG_GRACE, LONG_GRACE).daysRewritten() > 0) {
                // until no day is missing
            }

            assertEquals(java.util.Optional.of(rollupOfRawDay(owner, day)), dayRollup(owner, day));
            try (Connection c = dataSource.getConnection()) {
                assertTrue(DayRollups.complete(c), "the backfill records that no day is missing");
            }
        } finally {
            setDailyRollupsComplete(true);
        }
    }

    @Test
    void noPlaintextValueAnywhereAfterIngestCompactionAndRollup() throws Exception {
        UUID owner = Tokens.register(Tokens.newOwnerToken());
        double distinctive = 123.456789;
        long t = hour.plusSeconds(5).toEpochMilli();
        List<Reading> readings = List.of(new Reading(device, t, t + 10, distinctive),
                new Reading(device, t + 1000, t + 1010, 77));
        GatewayWrites.writeSealed(dataSource, owner, "heart_rate", hour, readings);
        compactAll();
        GatewayWrites.writeSealed(dataSource, owner, "heart_rate", hour.minus(1, ChronoUnit.HOURS),
                List.of(new Reading(device, t - 3_600_000, t, distinctive)));

        String big = HexFormat.of().formatHex(java.nio.ByteBuffer.allocate(8).putDouble(distinctive).array());
        String little = HexFormat.of().formatHex(java.nio.ByteBuffer.allocate(8)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN).putDouble(distinctive).array());
        try (Connection c = dataSource.getConnection()) {
            for (String table : tables(c)) {
                try (PreparedStatement ps = c.prepareStatement("select t::text from " + table + " t");
                     ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String row = rs.getString(1);
                        assertFalse(row.contains("123.456789") || row.contains("123,456789"), table);
                        assertFalse(row.contains(big) || row.contains(little), table + " holds the raw double");
                        // The compressed form of a decimal value is its scaled integer: 123456789.
                        assertFalse(row.contains("123456789"), table);
                    }
                }
            }
        }
        assertEquals(distinctive, readHour(owner).get(0).value());
    }

    @Test
    void aSealedHourMovedToAnotherOwnersRowFailsToOpen() throws Exception {
        UUID alice = Tokens.register(Tokens.newOwnerToken());
        UUID bob = Tokens.register(Tokens.newOwnerToken());
        GatewayWrites.writeSealed(dataSource, alice, "heart_rate", hour, oneHertz(hour, 30, 70));
        GatewayWrites.writeSealed(dataSource, bob, "heart_rate", hour, oneHertz(hour, 30, 90));
        compactAll();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                update reading_segment b set points = a.points, rollup = a.rollup
                  from reading_segment a
                 where a.owner_id = ? and b.owner_id = ? and a.metric = b.metric and a.bucket = b.bucket
                """)) {
            ps.setObject(1, alice);
            ps.setObject(2, bob);
            assertEquals(1, ps.executeUpdate());
        }
        assertThrows(SealBrokenException.class, () -> readHour(bob));
        assertEquals(30, readHour(alice).size(), "the rightful owner still reads hers");
    }

    @Test
    void ownerKeyRotationKeepsEveryReadingReadableAndMakesTheOldKeyUseless() throws Exception {
        String token = Tokens.newOwnerToken();
        UUID owner = Tokens.register(token);
        List<Reading> old = oneHertz(hour, 100, 70);
        GatewayWrites.writeSealed(dataSource, owner, "heart_rate", hour, old);
        compactAll();
        byte[] oldSegment = segmentColumn(owner, "points");

        given().auth().oauth2(token).post("/owners/" + owner + "/keys/rotate").then().statusCode(200)
                .body("version", equalTo(2));
        List<Reading> fresh = oneHertz(hour.plusSeconds(200), 100, 80);
        GatewayWrites.writeSealed(dataSource, owner, "heart_rate", hour, fresh);
        // Re-seal to the new key; the retired pair is destroyed once nothing refers to it.
        while (compactor.compact(1000, LONG_GRACE, NO_GRACE).hoursResealed() > 0) {
            // until everything is on the new key
        }
        compactor.compact(1000, LONG_GRACE, NO_GRACE);

        List<Reading> expected = new ArrayList<>(old);
        expected.addAll(fresh);
        assertEquals(expected, readHour(owner));
        assertEquals(java.util.Optional.of(rollupOfRawDay(owner, DayRollups.dayOf(hour))), dayRollup(owner, DayRollups.dayOf(hour)),
                "the day's rollup was re-sealed to the new key too");
        JsonPath keys = given().auth().oauth2(token).get("/owners/" + owner + "/keys").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(List.of(2), keys.getList("version"), "version 1 was destroyed");
        assertFalse(java.util.Arrays.equals(oldSegment, segmentColumn(owner, "points")), "re-sealed");
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select count(*) from seal_epoch where owner_id = ? and key_version = 1")) {
            ps.setObject(1, owner);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(0, rs.getLong(1), "no epoch of the old key remains: nothing it could open");
            }
        }
    }

    @Test
    void hourlyAndDailySeriesComeFromRollupsAndMatchTheRawData() throws Exception {
        String token = Tokens.newOwnerToken();
        UUID owner = Tokens.register(token);
        Instant day = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(2, ChronoUnit.DAYS);
        List<Reading> all = new ArrayList<>();
        for (int h = 0; h < 3; h++) {
            List<Reading> rs = oneHertz(day.plus(h, ChronoUnit.HOURS), 60, 60 + h * 10);
            GatewayWrites.writeSealed(dataSource, owner, "heart_rate", day.plus(h, ChronoUnit.HOURS), rs);
            all.addAll(rs);
        }
        compactAll();

        JsonPath hourly = given().auth().oauth2(token).queryParam("metric", "heart_rate")
                .queryParam("from", day.toString()).queryParam("until", day.plus(1, ChronoUnit.DAYS).toString())
                .queryParam("resolution", "hour").get("/owners/" + owner + "/readings").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(3, hourly.getList("buckets").size());
        assertEquals(60, hourly.getInt("buckets[1].count"));
        assertEquals(all.subList(60, 120).stream().mapToDouble(Reading::value).average().orElseThrow(),
                hourly.getDouble("buckets[1].mean"), 1e-9);
        JsonPath daily = given().auth().oauth2(token).queryParam("metric", "heart_rate")
                .queryParam("from", day.toString()).queryParam("until", day.plus(1, ChronoUnit.DAYS).toString())
                .queryParam("resolution", "day").get("/owners/" + owner + "/readings").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(180, daily.getInt("buckets[0].count"));
        assertEquals(all.stream().mapToDouble(Reading::value).max().orElseThrow(), daily.getDouble("buckets[0].max"), 0);
        given().auth().oauth2(token).queryParam("metric", "heart_rate").queryParam("from", day.toString())
                .queryParam("until", day.plus(1, ChronoUnit.HOURS).toString()).queryParam("resolution", "minute")
                .get("/owners/" + owner + "/readings").then().statusCode(200).body("buckets.size()", equalTo(1))
                .body("buckets[0].count", equalTo(60));
        given().auth().oauth2(token).get("/owners/" + owner + "/readings/latest").then().statusCode(200)
                .body("[0].metric", equalTo("heart_rate"))
                .body("[0].time", equalTo(Instant.ofEpochMilli(all.get(all.size() - 1).deviceTimeMillis()).toString()));
        given().auth().oauth2(token).queryParam("metric", "heart_rate").queryParam("resolution", "second")
                .get("/owners/" + owner + "/readings").then().statusCode(400)
                .body("errors[0].field", equalTo("resolution"));
    }

    private byte[] segmentColumn(UUID owner, String column) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select " + column + " from reading_segment where owner_id = ?")) {
            ps.setObject(1, owner);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBytes(1);
            }
        }
    }

    private static List<String> tables(Connection c) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        return tables;
    }
}
