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
import org.vitalvault.vault.lease.LeaseResource;
import org.vitalvault.vault.researcher.CallerResearcher;
import org.vitalvault.vault.researcher.Organisation;

/**
 * Queries inside a lease: a compact JWS signed with the organisation's key (like the lease
 * request), posted with the organisation's bearer token. Answers noisy aggregates, or a problem with
 * the engine's reason code (409 when the lease period ended or its budget is spent, 403 otherwise).
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
    @POST
    @Consumes({LeaseResource.APPLICATION_JOSE, MediaType.TEXT_PLAIN})
    public QueryAnswer query(@PathParam("orgId") UUID orgId, @PathParam("leaseId") UUID leaseId, String jws) {
        Organisation org = caller.requireApproved(orgId);
        return service.answer(org, leaseId, jws);
    }
}
