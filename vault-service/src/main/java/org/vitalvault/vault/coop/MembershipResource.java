package org.vitalvault.vault.coop;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.vitalvault.vault.auth.CallerOwner;
import org.vitalvault.vault.consent.TermsBody;
import org.vitalvault.vault.http.PageParams;

/**
 * An owner's co-op memberships: join (adopting the standing terms, optionally with stricter own
 * terms), list, leave. Joining and leaving answer a consent receipt signed by the vault.
 */
@Path("/owners/{ownerId}/memberships")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("owner")
public class MembershipResource {

    @Inject
    CallerOwner caller;

    @Inject
    Memberships memberships;

    @Inject
    CoopStore coops;

    @Inject
    Clock clock;

    /** What a joining owner sends: {@code {}} to take the co-op's terms, or their own stricter {@code ownTerms}. */
    public record JoinRequest(TermsBody ownTerms) {
    }

    @Operation(summary = "The owner's co-op memberships")
    @GET
    public List<MembershipView> list(@PathParam("ownerId") UUID ownerId, @BeanParam PageParams page) {
        caller.require(ownerId);
        return page.page(coops.membershipsOf(ownerId)).stream().map(m -> MembershipView.of(m.membership(), m.coop())).toList();
    }

    @Operation(summary = "Join a co-op, on its terms or narrower ones")
    @PUT
    @Path("/{coopId}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response join(@PathParam("ownerId") UUID ownerId, @PathParam("coopId") UUID coopId, JoinRequest request) {
        caller.require(ownerId);
        Memberships.MembershipChange change = memberships.join(ownerId, coopId, request == null ? null : request.ownTerms(),
                caller.subject(), now());
        return Response.created(URI.create("/owners/" + ownerId + "/memberships/" + coopId)).entity(change).build();
    }

    /** Leaves the co-op: the owner's data stops counting in its leases from the next decision on. */
    @Operation(summary = "Leave a co-op")
    @DELETE
    @Path("/{coopId}")
    public Memberships.MembershipChange leave(@PathParam("ownerId") UUID ownerId, @PathParam("coopId") UUID coopId) {
        caller.require(ownerId);
        return memberships.leave(ownerId, coopId, caller.subject(), now());
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
