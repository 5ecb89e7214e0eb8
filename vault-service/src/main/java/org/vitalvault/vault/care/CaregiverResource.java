package org.vitalvault.vault.care;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.vitalvault.vault.auth.SubjectHashes;
import org.vitalvault.vault.http.PageParams;
import org.vitalvault.vault.readings.OwnerSeries;
import org.vitalvault.vault.readings.ReadingResource;

/**
 * A caregiver's side (role caregiver): accept an invite, list the delegations held, read within one,
 * read-only. The caller is the token's subject, found by its keyed hash; there is no caregiver
 * registration.
 */
@Path("/caregivers/me")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("caregiver")
public class CaregiverResource {

    @Inject
    JsonWebToken token;

    @Inject
    SubjectHashes hashes;

    @Inject
    CaregiverAccess access;

    /** An invite code as the owner handed it over. */
    public record InviteBody(@Schema(example = "7KQ2-M9XD-4TRA-0P8C") String code) {
    }

    @Operation(summary = "Accept an invite code; a wrong, used, revoked or expired code is 404, and failures are rate-limited")
    @POST
    @Path("/invites")
    @Consumes(MediaType.APPLICATION_JSON)
    public CaregiverView accept(InviteBody body) {
        return access.redeem(caller(), body == null ? null : body.code());
    }

    @Operation(summary = "The delegations you may read now")
    @GET
    @Path("/delegations")
    public List<CaregiverView> list(@BeanParam PageParams page) {
        return page.page(access.active(caller()));
    }

    /**
     * @param from       inclusive start (ISO-8601 instant); default 24 h before {@code until}
     * @param until      exclusive end; default now, or the end of the delegation's data window if earlier
     * @param resolution default: the finest the delegation allows
     */
    @Operation(summary = "A series of one metric within a delegation, clipped to its data window")
    @GET
    @Path("/delegations/{delegationId}/readings")
    public OwnerSeries.Series readings(@PathParam("delegationId") UUID delegationId, @QueryParam("metric") String metric,
                                       @QueryParam("from") String from, @QueryParam("until") String until,
                                       @Parameter(schema = @Schema(enumeration = {"raw", "minute", "hour", "day"}))
                                       @QueryParam("resolution") String resolution) {
        return access.readings(caller(), delegationId, metric, instant("from", from), instant("until", until),
                resolution == null || resolution.isBlank() ? null : OwnerSeries.resolution(resolution));
    }

    @Operation(summary = "The latest value of each metric within a delegation")
    @GET
    @Path("/delegations/{delegationId}/latest")
    public List<OwnerSeries.Latest> latest(@PathParam("delegationId") UUID delegationId) {
        return access.latest(caller(), delegationId);
    }

    private byte[] caller() {
        return hashes.caregiver(token.getSubject());
    }

    private static Instant instant(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return ReadingResource.instant(field, value);
    }
}
