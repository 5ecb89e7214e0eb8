package org.vitalvault.vault.lease;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.vitalvault.vault.auth.CallerResearcher;
import org.vitalvault.vault.auth.Organisation;
import org.vitalvault.vault.refusal.NotFound;

/**
 * A researcher organisation's leases. A lease request is a compact JWS signed with the
 * organisation's registered key (media type {@code application/jose}, or plain text), posted with a
 * bearer token of the organisation's subject; the answer is the lease document signed by the vault,
 * or a problem with the engine's reason codes. No response here names an owner or a device.
 */
@Path("/researchers/{orgId}/leases")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("researcher")
public class LeaseResource {

    /** The JOSE compact serialization's media type (RFC 7515 §9.2.1). */
    public static final String APPLICATION_JOSE = "application/jose";

    @Inject
    CallerResearcher caller;

    @Inject
    LeaseService service;

    @Inject
    LeaseStore leases;

    /**
     * A lease as its holder sees it.
     *
     * @param document   the lease document as the vault signed it
     * @param budget     the lease's ε, in the shape of a query answer's budget
     * @param priceCents its price, made from a noisy cohort estimate (decision 024)
     * @param owesCents  what it owes so far: its price once it has answered a query, else 0
     */
    public record LeaseView(UUID id, String document, Budget budget, long priceCents, long owesCents) {
    }

    /** The lease's ε: its total, spent so far and what is left. */
    public record Budget(double total, double spent, double remaining) {
    }

    @Operation(summary = "Ask for a lease with a signed lease request (JWS)")
    @RequestBody(required = true, description = "A compact JWS, typ " + SignedRequests.LEASE_REQUEST_TYP
            + ", signed with the organisation's registered Ed25519 key; its payload is a LeaseRequestPayload",
            content = @Content(mediaType = APPLICATION_JOSE, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "201", description = "The signed lease",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = LeaseService.Issued.class)))
    @APIResponse(responseCode = "403", description = "Bad signature, organisation not approved, or denied: `reasons` holds "
            + "request-level codes only (COHORT_BELOW_K when the noisy cohort estimate is below k)")
    @APIResponse(responseCode = "409", description = "This request id was already used, or the request's own period has ended")
    @APIResponse(responseCode = "429", description = "The organisation's lease requests of the last 24 hours, or its "
            + "discovery budget of the last 365 days, are used up; Retry-After says when to ask again")
    @POST
    @Consumes({APPLICATION_JOSE, MediaType.TEXT_PLAIN})
    public Response request(@PathParam("orgId") UUID orgId, String jws) {
        Organisation org = caller.requireApproved(orgId);
        LeaseService.Issued issued = service.request(org, jws);
        return Response.created(URI.create("/researchers/" + orgId + "/leases/" + issued.lease().leaseId()))
                .entity(issued).build();
    }

    @Operation(summary = "A lease: its signed document, budget and what it owes")
    @GET
    @Path("/{leaseId}")
    public LeaseView get(@PathParam("orgId") UUID orgId, @PathParam("leaseId") UUID leaseId) {
        caller.require(orgId);
        Lease lease = leases.find(orgId, leaseId).orElseThrow(() -> new NotFound("lease " + leaseId));
        return new LeaseView(lease.id(), lease.document(), new Budget(lease.epsilonTotal().doubleValue(),
                lease.epsilonSpent().doubleValue(), lease.budget().remaining()), lease.priceCents(), leases.owes(lease.id()));
    }
}
