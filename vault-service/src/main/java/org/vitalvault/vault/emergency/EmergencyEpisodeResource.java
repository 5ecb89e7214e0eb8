package org.vitalvault.vault.emergency;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.vitalvault.vault.auth.SubjectHashes;
import org.vitalvault.vault.readings.OwnerSeries;
import org.vitalvault.vault.refusal.FieldErrors;

/**
 * The clinician's side of break-glass: open an episode with the owner's emergency code and a reason,
 * then read, under that episode only, the latest values and the last 24 hours. Read-only by
 * construction: there is nothing here that writes an owner's data.
 */
@Path("/emergency/episodes")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("clinician")
public class EmergencyEpisodeResource {

    /** Shortest and longest stated reason. */
    static final int REASON_MIN = 10;
    static final int REASON_MAX = 500;

    /**
     * What the clinician presents.
     *
     * @param emergencyCode the owner's code as read off their card (case, spaces and dashes do not matter)
     * @param reason        why, 10 to 500 characters; the owner reads it
     */
    public record OpenRequest(@Schema(example = "7K3M-QX9D-2RTV-H4PN") String emergencyCode,
                              @Schema(example = "unconscious in ER, checking arrhythmia") String reason) {
    }

    /**
     * An opened episode.
     *
     * @param metrics the metrics with data in the last 24 hours (codes, e.g. {@code heart_rate})
     */
    public record Opened(UUID id, java.time.Instant startedAt, java.time.Instant expiresAt, List<String> metrics) {
    }

    @Inject
    JsonWebToken token;

    @Inject
    SubjectHashes hashes;

    @Inject
    EmergencyAttempts attempts;

    @Inject
    EmergencyService service;

    @Operation(summary = "Open an emergency episode with an owner's emergency code and a reason")
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response open(OpenRequest body) {
        FieldErrors errors = new FieldErrors();
        String code = body == null ? null : body.emergencyCode();
        String reason = body == null || body.reason() == null ? null : body.reason().strip();
        if (code == null || code.isBlank()) {
            errors.add("emergencyCode", "is required");
        }
        if (reason == null || reason.length() < REASON_MIN || reason.length() > REASON_MAX) {
            errors.add("reason", "is required, " + REASON_MIN + " to " + REASON_MAX + " characters");
        }
        errors.throwIfAny();
        EmergencyService.Clinician clinician = clinician();
        // Charged before the code is looked at, committed whatever follows (EmergencyAttempts).
        EmergencyAttempts.Charge charge = attempts.charge(clinician.hash());
        EmergencyService.Opened o = service.open(clinician, code, reason, charge);
        return Response.status(Response.Status.CREATED)
                .entity(new Opened(o.id(), o.startedAt(), o.expiresAt(), o.metrics())).build();
    }

    @Operation(summary = "The owner's latest value of every metric measured in the last 24 hours")
    @GET
    @Path("/{episodeId}/latest")
    public List<OwnerSeries.Latest> latest(@PathParam("episodeId") UUID episodeId) {
        return service.latest(clinician(), episodeId);
    }

    /**
     * @param from       inclusive start (ISO-8601); default and earliest: 24 hours ago (an earlier one is clipped)
     * @param until      exclusive end (ISO-8601); default now
     * @param resolution raw (default), minute or hour
     */
    @Operation(summary = "A series of one metric within the last 24 hours")
    @GET
    @Path("/{episodeId}/readings")
    public OwnerSeries.Series readings(@PathParam("episodeId") UUID episodeId, @QueryParam("metric") String metric,
                                       @QueryParam("from") String from, @QueryParam("until") String until,
                                       @Parameter(schema = @Schema(enumeration = {"raw", "minute", "hour"}, defaultValue = "raw"))
                                       @QueryParam("resolution") String resolution) {
        return service.series(clinician(), episodeId, metric, resolution, from, until);
    }

    private EmergencyService.Clinician clinician() {
        return new EmergencyService.Clinician(token.getSubject(), hashes.clinician(token.getSubject()));
    }
}
