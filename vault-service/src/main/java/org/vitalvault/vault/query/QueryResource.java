package org.vitalvault.vault.query;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.vitalvault.vault.auth.CallerResearcher;
import org.vitalvault.vault.auth.Organisation;
import org.vitalvault.vault.lease.LeaseResource;
import org.vitalvault.vault.lease.SignedRequests;

/**
 * Queries inside a lease: a compact JWS signed with the organisation's key (like the lease
 * request), posted with the organisation's bearer token. Answers noisy aggregates, also signed by the
 * vault ({@link AnswerSigner}), or a problem with a request-level reason code (409 when the lease
 * period ended or its budget is spent, 403 otherwise); no refusal depends on the data (decision 024).
 */
@Path("/researchers/{orgId}/leases/{leaseId}/queries")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("researcher")
public class QueryResource {

    @Inject
    CallerResearcher caller;

    @Inject
    QueryService service;

    @Operation(summary = "Run a signed aggregate query (JWS) inside a lease")
    @RequestBody(required = true, description = "A compact JWS, typ " + SignedRequests.QUERY_TYP
            + ", signed with the organisation's registered Ed25519 key; its payload is a QueryPayload",
            content = @Content(mediaType = LeaseResource.APPLICATION_JOSE, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "200", description = "The noisy aggregates and the lease's budget after the query, and the"
            + " same answer signed by the vault (`signed`, a compact JWS, typ " + AnswerDocument.JWS_TYPE + ")",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SignedQueryAnswer.class)))
    @APIResponse(responseCode = "403", description = "Bad signature, organisation not approved, or refused for a "
            + "request-level reason (`reasons`: NOT_LEASED, LEASE_DENIED)")
    @APIResponse(responseCode = "400", description = "Invalid query, ε outside the per-query floor and ceiling, or too many "
            + "numbers asked for: decided from the query alone, before any data is read")
    @APIResponse(responseCode = "409", description = "This query id was already used (whatever its outcome), or the lease's "
            + "period or budget is spent")
    @POST
    @Consumes({LeaseResource.APPLICATION_JOSE, MediaType.TEXT_PLAIN})
    public SignedQueryAnswer query(@PathParam("orgId") UUID orgId, @PathParam("leaseId") UUID leaseId, String jws) {
        Organisation org = caller.requireApproved(orgId);
        return service.answer(org, leaseId, jws);
    }
}
