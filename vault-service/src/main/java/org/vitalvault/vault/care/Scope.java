package org.vitalvault.vault.care;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.vitalvault.vault.readings.OwnerSeries.Resolution;
import org.vitalvault.vault.refusal.NotPermitted;

/**
 * What one delegation lets its caregiver read: these metrics, no finer than this resolution, data
 * times inside the window (null: all). A plain value, so the boundary is tested without a server.
 *
 * <p>Hour and day series are read in whole UTC hours and days; where the window cuts a range, the
 * range is shrunk inward to whole buckets, never widened, so no bucket mixes in readings from
 * outside the window.
 */
public record Scope(List<String> metrics, Resolution finest, DataWindow window) {

    /** The refusal's code; the problem type ends with it (clients switch on it). */
    public static final String OUTSIDE = "outside-delegation";

    public Scope {
        metrics = List.copyOf(metrics);
        Objects.requireNonNull(finest, "finest");
    }

    /** A time range to read, [from, until). */
    public record Range(Instant from, Instant until) {
    }

    /**
     * The part of [from, until) of {@code metric} at {@code res} this scope lets be read.
     *
     * @throws NotPermitted {@value #OUTSIDE}: metric not in scope, resolution finer than allowed, or no
     *                      readable part of the range inside the window
     */
    public Range permit(String metric, Resolution res, Instant from, Instant until) {
        if (!metrics.contains(metric)) {
            throw outside("the metric " + metric + " is not shared with you");
        }
        if (res.ordinal() < finest.ordinal()) {
            throw outside("this delegation shows " + metric + " no finer than " + name(finest));
        }
        return clip(res, from, until).orElseThrow(() -> outside("the range lies outside the data this delegation shows"));
    }

    /** [from, until) clipped to the window (and to whole buckets where the window cuts), or empty. */
    Optional<Range> clip(Resolution res, Instant from, Instant until) {
        Instant s = from;
        Instant e = until;
        if (window != null) {
            if (s.isBefore(window.from())) {
                s = window.from();
            }
            if (window.until() != null && e.isAfter(window.until())) {
                e = window.until();
            }
            ChronoUnit unit = res == Resolution.HOUR ? ChronoUnit.HOURS : res == Resolution.DAY ? ChronoUnit.DAYS : null;
            if (unit != null) {
                // The series widens to whole buckets; keep the widened range inside the window.
                if (s.truncatedTo(unit).isBefore(window.from())) {
                    s = ceil(s, unit);
                }
                if (window.until() != null && ceil(e, unit).isAfter(window.until())) {
                    e = e.truncatedTo(unit);
                }
            }
        }
        return s.isBefore(e) ? Optional.of(new Range(s, e)) : Optional.empty();
    }

    /** Whether a reading of {@code metric} taken at {@code time} is in scope (for latest values). */
    public boolean shows(String metric, Instant time) {
        return metrics.contains(metric) && (window == null || window.contains(time));
    }

    private static Instant ceil(Instant t, ChronoUnit unit) {
        Instant down = t.truncatedTo(unit);
        return down.equals(t) ? t : down.plus(1, unit);
    }

    static String name(Resolution r) {
        return r.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static NotPermitted outside(String detail) {
        return new NotPermitted(OUTSIDE, "Outside the delegation", detail);
    }
}
