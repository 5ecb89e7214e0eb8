package org.vitalvault.vault.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.vitalvault.metric.Metric;
import org.vitalvault.metric.MetricCatalogue;
import org.vitalvault.policy.consent.TimeWindow;
import org.vitalvault.policy.consent.AggregateKind;
import org.vitalvault.policy.consent.Granularity;
import org.vitalvault.policy.release.AggregateQuery;
import org.vitalvault.reading.Reading;
import org.vitalvault.vault.readings.OwnerData;
import org.vitalvault.vault.storage.CompactionJob;
import org.vitalvault.vault.support.DailyRollupState;
import org.vitalvault.vault.support.GatewayWrites;
import org.vitalvault.vault.support.Tokens;

/**
 * What a query computes from: each owner's exact mean per bucket, whichever way the rollups are
 * read — sealed daily rollups for whole days, hourly rollups at the window's edges, and days with
 * batches not yet compacted read exactly — and whether daily rollups are complete or not.
 */
@QuarkusTest
class CohortValuesTest {

    private static final Metric HEART_RATE = MetricCatalogue.standard().byCode("heart_rate").orElseThrow();
    private static final List<Integer> HOURS = List.of(2, 10, 14, 20);
    private static final Duration DAY = Duration.ofDays(1);

    @Inject
    CohortValues cohortValues;

    @Inject
    CompactionJob compactor;

    @Inject
    OwnerData data;

    @Inject
    AgroalDataSource dataSource;

    private final Instant today = Instant.now().truncatedTo(ChronoUnit.DAYS);
    private final List<Instant> days = List.of(today.minus(3 * 24, ChronoUnit.HOURS),
            today.minus(2 * 24, ChronoUnit.HOURS), today.minus(24, ChronoUnit.HOURS));

    private List<Reading> readings(UUID device, Instant bucket, int first, int n, int base) {
        List<Reading> rs = new ArrayList<>();
        for (int i = first; i < first + n; i++) {
            long t = bucket.toEpochMilli() + i * 60_000L;
            rs.add(new Reading(device, t, t + 100, base + (i * 7) % 23));
        }
        return rs;
    }

    private void everyHour(UUID owner, UUID device, int base) throws SQLException {
        for (Instant day : days) {
            for (int h : HOURS) {
                Instant bucket = day.plus(Duration.ofHours(h));
                GatewayWrites.writeSealed(dataSource, owner, "heart_rate", bucket, readings(device, bucket, 0, 10, base + h));
            }
        }
    }

    private void compactAll() throws SQLException {
        while (compactor.compact(1000, Duration.ofDays(2), Duration.ofDays(2)).hoursCompacted() > 0) {
            // until nothing is pending
        }
    }

    /** The exact mean of each owner's unique readings per day bucket, clipped to the window. */
    private Map<Instant, Map<UUID, Double>> expected(List<UUID> owners, TimeWindow window) {
        Map<Instant, Map<UUID, Double>> expected = new HashMap<>();
        for (UUID owner : owners) {
            for (Instant day : days) {
                Instant from = day.isBefore(window.from()) ? window.from() : day;
                Instant until = day.plus(DAY).isAfter(window.until()) ? window.until() : day.plus(DAY);
                List<Reading> raw = data.raw(owner, HEART_RATE, from, until);
                if (!raw.isEmpty()) {
                    double mean = raw.stream().mapToDouble(Reading::value).average().orElseThrow();
                    expected.computeIfAbsent(day, d -> new HashMap<>()).put(owner, mean);
                }
            }
        }
        return expected;
    }

    private static void assertSameValues(Map<Instant, Map<UUID, Double>> expected, Map<Instant, Map<UUID, Double>> actual) {
        assertEquals(expected.keySet(), actual.keySet(), "buckets");
        expected.forEach((bucket, byOwner) -> {
            assertEquals(byOwner.keySet(), actual.get(bucket).keySet(), "contributors of " + bucket);
            byOwner.forEach((owner, mean) -> assertEquals(mean, actual.get(bucket).get(owner), 1e-9,
                    "mean of an owner in " + bucket));
        });
    }

    private void setDailyRollupsComplete(boolean complete) throws SQLException {
        DailyRollupState.setComplete(dataSource, complete);
    }

    @Test
    void dayBucketsAreEachOwnersExactMeanWithCompactedPendingAndRedeliveredReadingsAndAWindowStartingMidDay()
            throws Exception {
        UUID compacted = Tokens.register(Tokens.newOwnerToken());
        UUID mixed = Tokens.register(Tokens.newOwnerToken());
        UUID pendingOnly = Tokens.register(Tokens.newOwnerToken());
        UUID quiet = Tokens.register(Tokens.newOwnerToken());
        UUID device = UUID.randomUUID();
        everyHour(compacted, device, 60);
        everyHour(mixed, device, 80);
        compactAll();
        // Not yet compacted: a redelivery (same readings, received later) with new readings in the
        // middle day, and late readings for an edge hour of the first day.
        Instant middle = days.get(1).plus(Duration.ofHours(10));
        List<Reading> again = new ArrayList<>(readings(device, middle, 5, 5, 90).stream()
                .map(r -> new Reading(r.deviceId(), r.deviceTimeMillis(), r.receivedTimeMillis() + 9_000, r.value())).toList());
        again.addAll(readings(device, middle, 20, 10, 120));
        GatewayWrites.writeSealed(dataSource, mixed, "heart_rate", middle, again);
        Instant edge = days.get(0).plus(Duration.ofHours(20));
        GatewayWrites.writeSealed(dataSource, mixed, "heart_rate", edge, readings(device, edge, 30, 5, 140));
        everyHour(pendingOnly, device, 100);

        // The window starts at 13:00 of the first day: its hours 14 and 20 count, 02 and 10 do not.
        TimeWindow window = new TimeWindow(days.get(0).plus(Duration.ofHours(13)), today);
        List<UUID> owners = List.of(compacted, mixed, pendingOnly, quiet);
        AggregateQuery query = new AggregateQuery("heart_rate", Granularity.DAY, days, Set.of(AggregateKind.MEAN), null, 1.0);
        Map<Instant, Map<UUID, Double>> expected = expected(owners, window);

        assertSameValues(expected, cohortValues.read(owners, query, window));
        setDailyRollupsComplete(false);
        try {
            assertSameValues(expected, cohortValues.read(owners, query, window));
        } finally {
            setDailyRollupsComplete(true);
        }
        compactAll();
        assertSameValues(expected, cohortValues.read(owners, query, window));
    }
}
