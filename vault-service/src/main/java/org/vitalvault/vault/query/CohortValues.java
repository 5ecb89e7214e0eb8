package org.vitalvault.vault.query;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
import org.vitalvault.vault.readings.OwnerData;

/**
 * Each owner's value per bucket of a query: the mean of the owner's readings in the bucket, from
 * their sealed hourly rollups ({@link OwnerData#hourly}, one snapshot per owner, keys wiped after).
 * Only whole hours inside the lease's data window are read, so no reading outside it counts. An
 * owner with no reading in a bucket has no value there (and is not a contributor to it). Owners are
 * read in parallel, each on its own connection; values stay in memory for the one release.
 */
@ApplicationScoped
public class CohortValues {

    private static final MetricCatalogue CATALOGUE = MetricCatalogue.standard();
    private static final Duration HOUR = Duration.ofHours(1);

    @Inject
    OwnerData data;

    private final ExecutorService readers = Executors.newFixedThreadPool(
            Math.max(2, Runtime.getRuntime().availableProcessors()), r -> {
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
        Instant end = QueryPayload.end(query);
        Instant from = max(first, ceilHour(dataWindow.from()));
        Instant until = min(end, dataWindow.until().truncatedTo(ChronoUnit.HOURS));
        Map<Instant, Map<UUID, Double>> values = new ConcurrentHashMap<>();
        if (!until.isAfter(from)) {
            return values;
        }
        long step = query.granularity().nominalLength().toSeconds();
        List<Future<?>> pending = new ArrayList<>(owners.size());
        for (UUID owner : owners) {
            pending.add(readers.submit(() -> {
                Map<Instant, HourRollup> merged = new HashMap<>();
                for (OwnerData.HourAggregate h : data.hourly(owner, metric, from, until)) {
                    long index = Duration.between(first, h.bucket()).toSeconds() / step;
                    Instant bucket = first.plusSeconds(index * step);
                    merged.merge(bucket, h.rollup(), HourRollup::merge);
                }
                merged.forEach((bucket, rollup) -> {
                    if (rollup.count() > 0) {
                        values.computeIfAbsent(bucket, b -> new ConcurrentHashMap<>()).put(owner, rollup.mean());
                    }
                });
            }));
        }
        try {
            for (Future<?> f : pending) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("reading the cohort's rollups was interrupted", e);
        } catch (ExecutionException e) {
            pending.forEach(f -> f.cancel(true));
            throw new IllegalStateException("reading the cohort's rollups failed", e.getCause());
        }
        // Only the query's buckets (the releaser refuses others).
        values.keySet().retainAll(query.buckets());
        return values;
    }

    private static Instant ceilHour(Instant t) {
        Instant floor = t.truncatedTo(ChronoUnit.HOURS);
        return floor.equals(t) ? t : floor.plus(HOUR);
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
