package org.vitalvault.policy.consent;

import java.time.Duration;
import java.time.Instant;
import org.vitalvault.policy.internal.Checks;

/**
 * A half-open span of time {@code [from, until)}. A window whose {@code until} is not after its
 * {@code from} is empty: it contains and covers nothing. Types that take a window from their
 * callers ({@link Terms}, lease requests) reject empty ones with a message naming their field;
 * intersections may be empty.
 *
 * @param from  first instant inside the window
 * @param until first instant after the window
 */
public record TimeWindow(Instant from, Instant until) {

    public TimeWindow {
        Checks.given("from", from);
        Checks.given("until", until);
    }

    /** The window from {@code from} on, without end. */
    public static TimeWindow startingAt(Instant from) {
        return new TimeWindow(from, Instant.MAX);
    }

    /** True when the window contains no instant. */
    public boolean isEmpty() {
        return !from.isBefore(until);
    }

    /** True when {@code t} lies in {@code [from, until)}. */
    public boolean contains(Instant t) {
        return !t.isBefore(from) && t.isBefore(until);
    }

    /** True when every instant of {@code other} lies in this window (an empty window is covered by any). */
    public boolean covers(TimeWindow other) {
        return other.isEmpty() || (!other.from.isBefore(from) && !other.until.isAfter(until));
    }

    /** The instants in both windows: the later start and the earlier end (possibly empty). */
    public TimeWindow intersect(TimeWindow other) {
        return new TimeWindow(from.isAfter(other.from) ? from : other.from,
                until.isBefore(other.until) ? until : other.until);
    }

    /** The window's length, zero when empty. */
    public Duration length() {
        return isEmpty() ? Duration.ZERO : Duration.between(from, until);
    }

    /** {@code window} when it is given and not empty; otherwise an exception naming {@code field}. */
    public static TimeWindow requireNonEmpty(String field, TimeWindow window) {
        Checks.given(field, window);
        if (window.isEmpty()) {
            throw new IllegalArgumentException(field + " must end after it starts (from " + window.from
                    + ", until " + window.until + ")");
        }
        return window;
    }
}
