package org.vitalvault.researcher;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The times the commands take, so that a script needs no {@code date -d} (GNU only): an ISO-8601
 * instant ({@code 2026-11-01T06:00:00Z}), a date ({@code 2026-11-01}: its UTC midnight), or an
 * anchor with an optional offset — {@code now}, {@code hour} (the start of the current UTC hour),
 * {@code today} (the last UTC midnight) — e.g. {@code today-7d}, {@code hour-24h}, {@code now+30d};
 * a bare offset ({@code -30d}) is from {@code now}. Units: {@code w}eeks, {@code d}ays, {@code h}ours,
 * {@code m}inutes. {@code today} and {@code hour} give bucket-aligned starts for DAY and HOUR queries.
 */
public final class TimeArg {

    private static final Pattern RELATIVE = Pattern.compile("(now|hour|today)?(?:([+-])(\\d{1,6})([wdhm]))?");

    private TimeArg() {
    }

    /**
     * @throws IllegalArgumentException saying which forms are accepted
     */
    public static Instant parse(String text, Instant now) {
        String s = text == null ? "" : text.strip();
        Matcher m = RELATIVE.matcher(s);
        if (!s.isEmpty() && m.matches()) {
            String anchor = m.group(1) == null ? "now" : m.group(1);
            Instant base = switch (anchor) {
                case "today" -> now.truncatedTo(ChronoUnit.DAYS);
                case "hour" -> now.truncatedTo(ChronoUnit.HOURS);
                default -> now.truncatedTo(ChronoUnit.SECONDS);
            };
            if (m.group(2) == null) {
                return base;
            }
            long n = Long.parseLong(m.group(3));
            Duration step = switch (m.group(4)) {
                case "w" -> Duration.ofDays(7 * n);
                case "d" -> Duration.ofDays(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofMinutes(n);
            };
            return m.group(2).equals("+") ? base.plus(step) : base.minus(step);
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            // not an instant; a date?
        }
        try {
            return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a time: give an instant (2026-11-01T06:00:00Z),"
                    + " a date (2026-11-01, UTC midnight) or now|hour|today with an offset such as today-7d, hour-24h, now+30d");
        }
    }
}
