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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.vitalvault.metric.Metric;
import org.vitalvault.metric.MetricCatalogue;
import org.vitalvault.vault.auth.CallerOwner;
import org.vitalvault.vault.refusal.InvalidInput;

/**
 * An owner reads their own readings, decrypted by the vault: a series of one metric over a time
 * range at raw, minute, hour or day resolution, and the latest value of every metric
 * ({@link OwnerSeries} does the reading).
 */
@Path("/owners/{ownerId}/readings")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("owner")
public class ReadingResource {

    private static final MetricCatalogue CATALOGUE = MetricCatalogue.standard();
    /** The earliest and latest instant a read (or a caregiver's data window) may name. */
    public static final Instant EARLIEST = Instant.parse("1900-01-01T00:00:00Z");
    public static final Instant LATEST = Instant.parse("9999-12-31T00:00:00Z");

    @Inject
    CallerOwner caller;

    @Inject
    OwnerSeries series;

    @Inject
    Clock clock;

    /**
     * @param metric     the metric code, e.g. {@code heart_rate}
     * @param from       inclusive start (ISO-8601 instant); default 24 h before {@code until}
     * @param until      exclusive end (ISO-8601 instant); default now
     * @param resolution raw (default), minute, hour or day; hour and day buckets are whole UTC
     *                   hours and days, so the range is widened to them
     */
    @Operation(summary = "A series of one metric, raw or aggregated")
    @GET
    public OwnerSeries.Series read(@PathParam("ownerId") UUID ownerId, @QueryParam("metric") String metric,
                                   @QueryParam("from") String from, @QueryParam("until") String until,
                                   @Parameter(schema = @Schema(enumeration = {"raw", "minute", "hour", "day"}, defaultValue = "raw"))
                                   @QueryParam("resolution") String resolution) {
        caller.require(ownerId);
        Metric m = metric(metric);
        OwnerSeries.Resolution res = OwnerSeries.resolution(resolution);
        Instant end = until == null ? clock.instant() : instant("until", until);
        Instant start = from == null ? end.minus(Duration.ofHours(24)) : instant("from", from);
        return series.series(ownerId, m, start, end, res);
    }

    @Operation(summary = "The latest reading of every metric")
    @GET
    @Path("/latest")
    public List<OwnerSeries.Latest> latest(@PathParam("ownerId") UUID ownerId) {
        caller.require(ownerId);
        return series.latest(ownerId);
    }

    public static Metric metric(String metric) {
        if (metric == null || metric.isBlank()) {
            throw InvalidInput.field("metric", "is required, one of " + codes());
        }
        return CATALOGUE.byCode(metric).orElseThrow(
                () -> InvalidInput.field("metric", "unknown metric; one of " + codes()));
    }

    /**
     * A time query parameter. Bounded like consent windows (TermsBody): {@code Instant.parse} accepts
     * years up to a billion, on which a read's time arithmetic (a default range 24 h back, rounding up
     * to a whole hour) and PostgreSQL's timestamps overflow, which answered 500 instead of 400.
     */
    public static Instant instant(String field, String value) {
        Instant t;
        try {
            t = Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw InvalidInput.field(field, "must be an ISO-8601 instant such as 2026-11-26T10:00:00Z");
        }
        if (t.isBefore(EARLIEST) || t.isAfter(LATEST)) {
            throw InvalidInput.field(field, "must lie between " + EARLIEST + " and " + LATEST);
        }
        return t;
    }

    private static String codes() {
        return String.join(", ", CATALOGUE.all().stream().map(Metric::code).toList());
    }
}
