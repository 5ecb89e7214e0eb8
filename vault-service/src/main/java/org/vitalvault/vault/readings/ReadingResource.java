package org.vitalvault.vault.readings;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;
import org.vitalvault.metric.Metric;
import org.vitalvault.metric.MetricCatalogue;
import org.vitalvault.vault.config.VaultConfig;
import org.vitalvault.vault.http.ProblemException;
import org.vitalvault.vault.owner.CallerOwner;

/** An owner reads their own readings of one metric over a time range, decrypted by the vault. */
@Path("/owners/{ownerId}/readings")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("owner")
public class ReadingResource {

    private static final MetricCatalogue CATALOGUE = MetricCatalogue.standard();

    @Inject
    CallerOwner caller;

    @Inject
    OwnerReadings readings;

    @Inject
    VaultConfig config;

    @Inject
    Clock clock;

    /** A series in the metric's canonical unit, with its standard codes. */
    public record Series(String metric, String unit, String ucum, String loinc, Instant from, Instant to,
                         int count, List<Point> readings) {
    }

    /** One reading as the owner sees it. */
    public record Point(Instant time, double value, UUID device) {
    }

    /**
     * @param metric the metric code, e.g. {@code heart_rate}
     * @param from   inclusive start (ISO-8601 instant); default 24 h before {@code to}
     * @param to     exclusive end (ISO-8601 instant); default now
     */
    @GET
    public Series read(@PathParam("ownerId") UUID ownerId, @QueryParam("metric") String metric,
                       @QueryParam("from") String from, @QueryParam("to") String to) {
        caller.require(ownerId);
        if (metric == null || metric.isBlank()) {
            throw ProblemException.badField("metric", "is required, one of " + codes());
        }
        Metric m = CATALOGUE.byCode(metric).orElseThrow(
                () -> ProblemException.badField("metric", "unknown metric; one of " + codes()));
        Instant end = to == null ? clock.instant() : instant("to", to);
        Instant start = from == null ? end.minus(Duration.ofHours(24)) : instant("from", from);
        if (!start.isBefore(end)) {
            throw ProblemException.badField("from", "must be before 'to'");
        }
        if (Duration.between(start, end).compareTo(config.reads().maxRawRange()) > 0) {
            throw ProblemException.badField("from", "range longer than " + config.reads().maxRawRange()
                    + " for raw readings");
        }
        List<Point> points = readings.read(ownerId, m, start, end).stream()
                .map(r -> new Point(Instant.ofEpochMilli(r.deviceTimeMillis()), r.value(), r.deviceId()))
                .toList();
        return new Series(m.code(), m.canonicalUnit(), m.ucum(), m.loinc(), start, end, points.size(), points);
    }

    private static Instant instant(String field, String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ProblemException.badField(field, "must be an ISO-8601 instant such as 2026-11-26T10:00:00Z");
        }
    }

    private static String codes() {
        return String.join(", ", CATALOGUE.all().stream().map(Metric::code).toList());
    }
}
