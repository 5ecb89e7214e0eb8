package org.vitalvault.vault.readings;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.vitalvault.metric.Metric;
import org.vitalvault.metric.MetricCatalogue;
import org.vitalvault.reading.Reading;
import org.vitalvault.segment.HourRollup;
import org.vitalvault.segment.SegmentCodec;
import org.vitalvault.store.SealedStore;
import org.vitalvault.vault.keys.OwnerKeyring;
import org.vitalvault.vault.storage.ReadSnapshot;

/**
 * One owner's readings as one consistent, duplicate-free view over compacted hours and batches not
 * yet compacted. Each read runs in a single read-only REPEATABLE READ transaction, so a compaction
 * committing meanwhile (moving readings from batches into an hour) is seen entirely or not at all.
 */
@ApplicationScoped
public class OwnerData {

    private static final MetricCatalogue CATALOGUE = MetricCatalogue.standard();

    @Inject
    AgroalDataSource dataSource;

    @Inject
    OwnerKeyring keyring;

    /** An hour's aggregate; {@code rollup} is exact over the hour's unique readings. */
    public record HourAggregate(Instant bucket, HourRollup rollup) {
    }

    /** Readings with device time in [from, to), ordered by time then device, each identity once. */
    public List<Reading> raw(UUID ownerId, Metric metric, Instant from, Instant to) {
        return inSnapshot(ownerId, (c, keys) -> {
            Instant fromBucket = from.truncatedTo(ChronoUnit.HOURS);
            Instant toBucket = ceilHour(to);
            SealedStore.Pending pending = SealedStore.pending(c, keys, ownerId, metric.code(), fromBucket, toBucket);
            List<Reading> all = new ArrayList<>();
            for (SealedStore.Hour h : SealedStore.hours(c, keys, ownerId, metric.code(), fromBucket, toBucket, true)) {
                all.addAll(h.points());
            }
            pending.readings().values().forEach(all::addAll);
            long f = from.toEpochMilli();
            long t = to.toEpochMilli();
            all.removeIf(r -> r.deviceTimeMillis() < f || r.deviceTimeMillis() >= t);
            return SegmentCodec.deduplicate(all);
        });
    }

    /**
     * Exact hourly aggregates for the hours in [fromBucket, toBucket): compacted hours contribute
     * their sealed rollup without opening their points; an hour with pending batches is recomputed
     * from its points and the pending readings, so duplicates across the two never count twice.
     */
    public List<HourAggregate> hourly(UUID ownerId, Metric metric, Instant fromBucket, Instant toBucket) {
        return inSnapshot(ownerId, (c, keys) -> {
            SealedStore.Pending pending = SealedStore.pending(c, keys, ownerId, metric.code(), fromBucket, toBucket);
            Map<Instant, HourRollup> byHour = new TreeMap<>();
            for (SealedStore.Hour h : SealedStore.hours(c, keys, ownerId, metric.code(), fromBucket, toBucket, false)) {
                if (!pending.readings().containsKey(h.bucket())) {
                    byHour.put(h.bucket(), h.rollup());
                }
            }
            for (Map.Entry<Instant, List<Reading>> p : pending.readings().entrySet()) {
                Instant bucket = p.getKey();
                List<Reading> all = new ArrayList<>(p.getValue());
                for (SealedStore.Hour h : SealedStore.hours(c, keys, ownerId, metric.code(), bucket,
                        bucket.plus(Duration.ofHours(1)), true)) {
                    all.addAll(h.points());
                }
                byHour.put(bucket, HourRollup.of(metric, SegmentCodec.deduplicate(all)));
            }
            List<HourAggregate> result = new ArrayList<>(byHour.size());
            byHour.forEach((b, r) -> result.add(new HourAggregate(b, r)));
            return result;
        });
    }

    /** The most recent reading of each metric the owner has, by device time. */
    public Map<Metric, Reading> latest(UUID ownerId) {
        return inSnapshot(ownerId, (c, keys) -> {
            Map<String, Instant> lastHour = SealedStore.latestHourPerMetric(c, ownerId);
            Map<Metric, Reading> latest = new LinkedHashMap<>();
            for (Map.Entry<String, Instant> e : lastHour.entrySet()) {
                Optional<Metric> metric = CATALOGUE.byCode(e.getKey());
                if (metric.isEmpty()) {
                    continue;
                }
                Instant bucket = e.getValue();
                Instant next = bucket.plus(Duration.ofHours(1));
                List<Reading> all = new ArrayList<>();
                SealedStore.hours(c, keys, ownerId, e.getKey(), bucket, next, true).forEach(h -> all.addAll(h.points()));
                SealedStore.pending(c, keys, ownerId, e.getKey(), bucket, next).readings().values().forEach(all::addAll);
                List<Reading> unique = SegmentCodec.deduplicate(all);
                if (!unique.isEmpty()) {
                    latest.put(metric.get(), unique.get(unique.size() - 1));
                }
            }
            return latest;
        });
    }

    /** Work inside one read-only snapshot with the owner's keys open; keys are wiped afterwards. */
    public <T> T inSnapshot(UUID ownerId, SnapshotWork<T> work) {
        try (OwnerKeyring.Session keys = keyring.open(ownerId); Connection c = dataSource.getConnection()) {
            return ReadSnapshot.run(c, snapshot -> work.run(snapshot, keys));
        } catch (SQLException e) {
            throw new IllegalStateException("reading sealed data failed: SQLState " + e.getSQLState(), e);
        }
    }

    /** Work on a snapshot connection with an owner's key session. */
    @FunctionalInterface
    public interface SnapshotWork<T> {
        T run(Connection c, OwnerKeyring.Session keys) throws SQLException;
    }

    private static Instant ceilHour(Instant t) {
        Instant floor = t.truncatedTo(ChronoUnit.HOURS);
        return floor.equals(t) ? t : floor.plus(Duration.ofHours(1));
    }
}
