package org.vitalvault.vault.readings;

import jakarta.inject.Inject;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.vitalvault.metric.Metric;
import org.vitalvault.metric.MetricCatalogue;
import org.vitalvault.reading.Reading;
import org.vitalvault.segment.HourRollup;
import org.vitalvault.vault.config.VaultConfig;
import org.vitalvault.vault.refusal.InvalidInput;

/**
 * An owner's series as the vault decrypts them: one metric over a range at raw, minute, hour or day
 * resolution, and the latest value of every metric. Who may ask is the caller's business (the owner
 * through {@link ReadingResource}, a caregiver within a delegation, a clinician in an emergency); this
 * class only bounds how much one read may hold.
 */
@ApplicationScoped
public class OwnerSeries {

    private static final Duration LONGEST_HOURLY = Duration.ofDays(366);
    private static final Duration LONGEST_DAILY = Duration.ofDays(3660);

    @Inject
    OwnerData data;

    @Inject
    VaultConfig config;

    /** How finely a series is returned. */
    public enum Resolution {
        RAW, MINUTE, HOUR, DAY
    }

    /**
     * A series in the metric's canonical unit, with its standard codes: {@code readings} at raw
     * resolution, {@code buckets} otherwise (the other is null).
     */
    public record Series(String metric, String unit, String ucum, String loinc, String resolution, Instant from,
                         Instant until, long count, List<Point> readings, List<Bucket> buckets) {
    }

    /** One reading as the owner sees it. */
    public record Point(Instant time, double value, UUID device) {
    }

    /** One bucket of an aggregated series: readings counted once each, over [start, start + resolution). */
    public record Bucket(Instant start, long count, double mean, double min, double max) {
        static Bucket of(Instant start, HourRollup r) {
            return new Bucket(start, r.count(), r.mean(), r.min(), r.max());
        }
    }

    /** The latest reading of one metric. */
    public record Latest(String metric, String unit, Instant time, double value, UUID device) {
    }

    /**
     * The series of {@code m} over [start, end) at {@code res}; hour and day buckets are whole UTC
     * hours and days, so the range is widened to them. Refuses (400) a reversed or too long range, and
     * a raw or minute read that would hold more than {@code vitalvault.reads.max-raw-points}.
     */
    public Series series(UUID ownerId, Metric m, Instant start, Instant end, Resolution res) {
        if (!start.isBefore(end)) {
            throw InvalidInput.field("from", "must be before 'until'");
        }
        Duration span = Duration.between(start, end);
        Duration longest = switch (res) {
            case RAW, MINUTE -> config.reads().maxRawRange();
            case HOUR -> LONGEST_HOURLY;
            case DAY -> LONGEST_DAILY;
        };
        if (span.compareTo(longest) > 0) {
            throw InvalidInput.field("from", "range longer than " + longest + " at " + name(res) + " resolution");
        }
        if (res == Resolution.RAW || res == Resolution.MINUTE) {
            requireFewEnoughReadings(ownerId, m, res, start, end);
        }
        return switch (res) {
            case RAW -> {
                List<Point> points = data.raw(ownerId, m, start, end).stream()
                        .map(r -> new Point(Instant.ofEpochMilli(r.deviceTimeMillis()), r.value(), r.deviceId()))
                        .toList();
                yield new Series(m.code(), m.canonicalUnit(), m.ucum(), m.loinc(), name(res), start, end, points.size(),
                        points, null);
            }
            case MINUTE -> aggregated(m, res, start, end, minutes(data.raw(ownerId, m, start, end), m));
            case HOUR, DAY -> {
                ChronoUnit unit = res == Resolution.HOUR ? ChronoUnit.HOURS : ChronoUnit.DAYS;
                Instant s = start.truncatedTo(unit);
                Instant e = end.truncatedTo(unit).equals(end) ? end : end.truncatedTo(unit).plus(1, unit);
                Map<Instant, HourRollup> buckets = new TreeMap<>();
                for (OwnerData.HourAggregate h : data.hourly(ownerId, m, s, e)) {
                    buckets.merge(h.bucket().truncatedTo(unit), h.rollup(), HourRollup::merge);
                }
                yield aggregated(m, res, s, e, buckets);
            }
        };
    }

    /** The latest reading of every metric the owner has. */
    public List<Latest> latest(UUID ownerId) {
        List<Latest> result = new ArrayList<>();
        data.latest(ownerId).forEach((m, r) -> result.add(new Latest(m.code(), m.canonicalUnit(),
                Instant.ofEpochMilli(r.deviceTimeMillis()), r.value(), r.deviceId())));
        return result;
    }

    /**
     * Refuses a raw or minute read that would hold more than the configured number of readings in
     * memory. Counted from the hourly rollups (compacted hours are counted without opening a point),
     * over the whole hours the range touches: an upper bound, so nothing above the bound is built.
     */
    private void requireFewEnoughReadings(UUID ownerId, Metric m, Resolution res, Instant start, Instant end) {
        Instant firstHour = start.truncatedTo(ChronoUnit.HOURS);
        Instant endHour = end.truncatedTo(ChronoUnit.HOURS);
        Instant lastHour = endHour.equals(end) ? end : endHour.plus(1, ChronoUnit.HOURS);
        long count = 0;
        for (OwnerData.HourAggregate h : data.hourly(ownerId, m, firstHour, lastHour)) {
            count += h.rollup().count();
        }
        int bound = config.reads().maxRawPoints();
        if (count > bound) {
            String coarser = res == Resolution.RAW ? "resolution=minute or resolution=hour" : "resolution=hour";
            String message = "the range holds up to " + count + " readings, more than the " + bound + " one "
                    + name(res) + " read may return; ask for " + coarser + ", or a shorter range";
            throw new InvalidInput("too-many-readings", "Too many readings",
                    List.of(new InvalidInput.FieldError("resolution", message)));
        }
    }

    private static Series aggregated(Metric m, Resolution res, Instant start, Instant end, Map<Instant, HourRollup> buckets) {
        List<Bucket> list = new ArrayList<>(buckets.size());
        long count = 0;
        for (Map.Entry<Instant, HourRollup> b : buckets.entrySet()) {
            if (b.getValue().count() > 0) {
                list.add(Bucket.of(b.getKey(), b.getValue()));
                count += b.getValue().count();
            }
        }
        return new Series(m.code(), m.canonicalUnit(), m.ucum(), m.loinc(), name(res), start, end, count, null, list);
    }

    private static Map<Instant, HourRollup> minutes(List<Reading> readings, Metric m) {
        Map<Instant, List<Reading>> byMinute = new TreeMap<>();
        for (Reading r : readings) {
            byMinute.computeIfAbsent(Instant.ofEpochMilli(r.deviceTimeMillis()).truncatedTo(ChronoUnit.MINUTES),
                    k -> new ArrayList<>()).add(r);
        }
        Map<Instant, HourRollup> result = new TreeMap<>();
        byMinute.forEach((minute, list) -> result.put(minute, HourRollup.of(m, list)));
        return result;
    }

    static String name(Resolution r) {
        return r.name().toLowerCase(Locale.ROOT);
    }

    /** The resolution named by a query parameter: raw when absent. */
    public static Resolution resolution(String value) {
        if (value == null || value.isBlank()) {
            return Resolution.RAW;
        }
        try {
            return Resolution.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw InvalidInput.field("resolution", "must be one of raw, minute, hour, day");
        }
    }
}
