package org.vitalvault.vault.query;

import io.agroal.api.AgroalDataSource;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.vitalvault.metric.Metric;
import org.vitalvault.metric.MetricCatalogue;
import org.vitalvault.policy.consent.TimeWindow;
import org.vitalvault.policy.release.AggregateQuery;
import org.vitalvault.segment.HourRollup;
import org.vitalvault.store.CohortRollups;
import org.vitalvault.store.DayRollups;
import org.vitalvault.vault.keys.OwnerKeyring;
import org.vitalvault.vault.readings.OwnerData;
import org.vitalvault.vault.storage.ReadSnapshot;

/**
 * Each owner's value per bucket of a query: the mean of the owner's readings in the bucket, from
 * their sealed rollups. Only whole hours inside the lease's data window are read, so no reading
 * outside it counts. An owner with no reading in a bucket has no value there (and is not a
 * contributor to it). Values stay in memory for the one release.
 *
 * <p><b>Day buckets and longer</b> (aligned to UTC days) read the cohort's sealed daily rollups
 * in one snapshot with one query per table ({@link CohortRollups}): one row per owner and day, one
 * data key per owner. Hours at the window's edges that do not fill a day are read from hourly
 * rollups in the same snapshot. A day (or edge hour) of an owner that still has batches the vault
 * has not compacted is read exactly through {@link OwnerData#hourly} instead, in its own snapshot:
 * each day's value comes wholly from one snapshot, so no reading counts twice or goes missing.
 * <b>Hour buckets</b>, and everything while daily rollups of older data are still being filled in,
 * go through {@link OwnerData#hourly} per owner.
 *
 * <p>JDBC because it reads the sealed rollups of a whole cohort per query (a measured hot path).
 */
@ApplicationScoped
public class CohortValues {

    private static final MetricCatalogue CATALOGUE = MetricCatalogue.standard();
    private static final Duration HOUR = Duration.ofHours(1);
    private static final Duration DAY = Duration.ofDays(1);
    private static final int THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());

    @Inject
    OwnerData data;

    @Inject
    OwnerKeyring keyring;

    @Inject
    AgroalDataSource dataSource;

    private final ExecutorService readers = Executors.newFixedThreadPool(THREADS, r -> {
        Thread t = new Thread(r, "cohort-reader");
        t.setDaemon(true);
        return t;
    });

    @PreDestroy
    void stop() {
        readers.shutdownNow();
    }

    /** Values by bucket start and owner, for {@code owners}, within {@code dataWindow}. */
    public Map<Instant, Map<UUID, Double>> read(List<UUID> owners, AggregateQuery query, TimeWindow dataWindow) {
        Metric metric = CATALOGUE.byCode(query.metric())
                .orElseThrow(() -> new IllegalArgumentException("metric must be one of the catalogue's"));
        Instant first = query.buckets().get(0);
        Instant from = max(first, ceil(dataWindow.from(), HOUR));
        Instant until = min(QueryPayload.end(query), dataWindow.until().truncatedTo(ChronoUnit.HOURS));
        Map<Instant, Map<UUID, Double>> values = new ConcurrentHashMap<>();
        if (!until.isAfter(from) || owners.isEmpty()) {
            return values;
        }
        Buckets buckets = new Buckets(first, query.granularity().nominalLength().toSeconds());
        Instant firstDay = ceil(from, DAY);
        Instant endDay = until.truncatedTo(ChronoUnit.DAYS);
        if (buckets.step % DAY.toSeconds() == 0 && first.equals(first.truncatedTo(ChronoUnit.DAYS))
                && endDay.isAfter(firstDay) && dayRollupsComplete()) {
            readDays(owners, metric, from, until, firstDay, endDay, buckets, values);
        } else {
            inParallel(owners, owner -> put(values, owner, buckets.of(hourly(owner, metric, from, until))));
        }
        // Only the query's buckets (the releaser refuses others).
        values.keySet().retainAll(query.buckets());
        return values;
    }

    private void readDays(List<UUID> owners, Metric metric, Instant from, Instant until, Instant firstDay,
                          Instant endDay, Buckets buckets, Map<Instant, Map<UUID, Double>> values) {
        record Read(CohortRollups.Snapshot snapshot, Map<UUID, OwnerKeyring.Session> sessions) {
        }
        CohortRollups.Snapshot snapshot;
        Map<UUID, OwnerKeyring.Session> sessions;
        try (Connection c = dataSource.getConnection()) {
            // The keys in the same snapshot as the rows they open.
            Read read = ReadSnapshot.run(c, s -> {
                CohortRollups.Snapshot rows = CohortRollups.read(s, owners, metric.code(), from, until, firstDay, endDay);
                return new Read(rows, keyring.openAll(s, rows.rows().keySet()));
            });
            snapshot = read.snapshot();
            sessions = read.sessions();
        } catch (SQLException e) {
            throw new IllegalStateException("reading the cohort's rollups failed: SQLState " + e.getSQLState(), e);
        }
        Set<UUID> withPending = snapshot.pendingHours().keySet();
        List<UUID> toRead = new ArrayList<>(snapshot.rows().keySet());
        withPending.stream().filter(o -> !snapshot.rows().containsKey(o)).forEach(toRead::add);
        try {
            inParallel(toRead, owner -> {
                // Units: a whole UTC day in [firstDay, endDay), or an edge hour outside it.
                Map<Instant, HourRollup> units = new HashMap<>();
                List<CohortRollups.Row> rows = snapshot.rows().getOrDefault(owner, List.of());
                if (!rows.isEmpty()) {
                    OwnerKeyring.Session keys = sessions.get(owner);
                    for (CohortRollups.Row row : rows) {
                        units.put(row.unit(), row.open(owner, metric.code(), keys));
                    }
                }
                List<Instant> pending = snapshot.pendingHours().getOrDefault(owner, List.of());
                if (!pending.isEmpty()) {
                    Set<Instant> stale = new HashSet<>();
                    pending.forEach(h -> stale.add(unitOf(h, firstDay, endDay)));
                    units.keySet().removeAll(stale);
                    Instant spanFrom = max(from, stale.stream().min(Instant::compareTo).orElseThrow());
                    Instant lastUnit = stale.stream().max(Instant::compareTo).orElseThrow();
                    Instant spanUntil = min(until, lastUnit.plus(isDay(lastUnit, firstDay, endDay) ? DAY : HOUR));
                    for (OwnerData.HourAggregate h : data.hourly(owner, metric, spanFrom, spanUntil)) {
                        Instant unit = unitOf(h.bucket(), firstDay, endDay);
                        if (stale.contains(unit)) {
                            units.merge(unit, h.rollup(), HourRollup::merge);
                        }
                    }
                }
                put(values, owner, buckets.of(units));
            });
        } finally {
            sessions.values().forEach(OwnerKeyring.Session::close);
        }
    }

    private Map<Instant, HourRollup> hourly(UUID owner, Metric metric, Instant from, Instant until) {
        Map<Instant, HourRollup> byHour = new HashMap<>();
        for (OwnerData.HourAggregate h : data.hourly(owner, metric, from, until)) {
            byHour.put(h.bucket(), h.rollup());
        }
        return byHour;
    }

    private boolean dayRollupsComplete() {
        try (Connection c = dataSource.getConnection()) {
            return DayRollups.complete(c);
        } catch (SQLException e) {
            throw new IllegalStateException("reading the daily rollups' state failed: SQLState " + e.getSQLState(), e);
        }
    }

    private static Instant unitOf(Instant hour, Instant firstDay, Instant endDay) {
        return isDay(hour, firstDay, endDay) ? hour.truncatedTo(ChronoUnit.DAYS) : hour;
    }

    private static boolean isDay(Instant t, Instant firstDay, Instant endDay) {
        return !t.isBefore(firstDay) && t.isBefore(endDay);
    }

    private static void put(Map<Instant, Map<UUID, Double>> values, UUID owner, Map<Instant, HourRollup> byBucket) {
        byBucket.forEach((bucket, rollup) -> {
            if (rollup.count() > 0) {
                values.computeIfAbsent(bucket, b -> new ConcurrentHashMap<>()).put(owner, rollup.mean());
            }
        });
    }

    /** The query's buckets: {@code step} seconds each from {@code first}. */
    private record Buckets(Instant first, long step) {
        Map<Instant, HourRollup> of(Map<Instant, HourRollup> units) {
            Map<Instant, HourRollup> merged = new HashMap<>();
            units.forEach((unit, rollup) -> {
                long index = Duration.between(first, unit).toSeconds() / step;
                merged.merge(first.plusSeconds(index * step), rollup, HourRollup::merge);
            });
            return merged;
        }
    }

    /** Owners' work in a few tasks on the reader threads (not one task per owner: cohorts run to thousands). */
    private void inParallel(List<UUID> owners, OwnerWork work) {
        int tasks = Math.min(owners.size(), THREADS * 4);
        List<Future<?>> pending = new ArrayList<>(tasks);
        for (int t = 0; t < tasks; t++) {
            List<UUID> slice = owners.subList(owners.size() * t / tasks, owners.size() * (t + 1) / tasks);
            pending.add(readers.submit((Callable<Void>) () -> {
                for (UUID owner : slice) {
                    work.read(owner);
                }
                return null;
            }));
        }
        try {
            for (Future<?> f : pending) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pending.forEach(f -> f.cancel(true));
            throw new IllegalStateException("reading the cohort's rollups was interrupted", e);
        } catch (ExecutionException e) {
            pending.forEach(f -> f.cancel(true));
            throw new IllegalStateException("reading the cohort's rollups failed", e.getCause());
        }
    }

    @FunctionalInterface
    private interface OwnerWork {
        void read(UUID owner);
    }

    private static Instant ceil(Instant t, Duration unit) {
        Instant floor = t.truncatedTo(unit.equals(DAY) ? ChronoUnit.DAYS : ChronoUnit.HOURS);
        return floor.equals(t) ? t : floor.plus(unit);
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
