package org.vitalvault.vault.export;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Formats epoch milliseconds exactly as {@link Instant#toString()} does ({@code 2026-11-26T10:00:05Z},
 * {@code 2026-11-26T10:00:05.250Z}) — valid FHIR dateTime/instant and ISO-8601 — without an Instant
 * or a String per value: the date and hour are formatted once per hour and reused, since a
 * series' consecutive readings share them. Not thread-safe; one per stream (and per column).
 */
final class InstantText {

    private static final long HOUR_MS = 3_600_000L;
    /** 0000-01-01T00:00Z and 10000-01-01T00:00Z: outside, Instant.toString adds a sign; leave it that. */
    private static final long MIN_MS = -62_167_219_200_000L;
    private static final long MAX_MS = 253_402_300_800_000L;

    private long cachedHour = Long.MIN_VALUE;
    private final char[] prefix = new char[14]; // yyyy-MM-ddTHH:

    void append(TextBuffer out, long epochMillis) {
        if (epochMillis < MIN_MS || epochMillis >= MAX_MS) {
            out.append(Instant.ofEpochMilli(epochMillis).toString());
            return;
        }
        long hour = Math.floorDiv(epochMillis, HOUR_MS);
        if (hour != cachedHour) {
            LocalDateTime t = LocalDateTime.ofEpochSecond(hour * 3600, 0, ZoneOffset.UTC);
            TextBuffer p = new TextBuffer(14);
            p.appendPadded(t.getYear(), 4).append('-').appendPadded(t.getMonthValue(), 2).append('-')
                    .appendPadded(t.getDayOfMonth(), 2).append('T').appendPadded(t.getHour(), 2).append(':');
            System.arraycopy(p.chars(), 0, prefix, 0, 14);
            cachedHour = hour;
        }
        int inHour = (int) (epochMillis - hour * HOUR_MS);
        int millis = inHour % 1000;
        int seconds = inHour / 1000;
        out.append(prefix).appendPadded(seconds / 60, 2).append(':').appendPadded(seconds % 60, 2);
        if (millis != 0) {
            out.append('.').appendPadded(millis, 3);
        }
        out.append('Z');
    }
}
