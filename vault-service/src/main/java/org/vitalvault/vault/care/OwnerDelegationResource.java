package org.vitalvault.vault.care;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.vitalvault.vault.auth.CallerOwner;
import org.vitalvault.vault.http.PageParams;
import org.vitalvault.vault.refusal.InvalidInput;

/**
 * An owner's caregivers: invite one (by a one-time code, or by login subject), list, read, revoke.
 * Another owner's delegations answer 404, like unknown ones.
 */
@Path("/owners/{ownerId}/delegations")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("owner")
public class OwnerDelegationResource {

    @Inject
    CallerOwner caller;

    @Inject
    Delegations delegations;

    @Operation(summary = "Invite a caregiver to read some of your data; answers a one-time invite code unless a subject is named")
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@PathParam("ownerId") UUID ownerId, DelegationRequest request) {
        caller.require(ownerId);
        if (request == null) {
            throw InvalidInput.field("body", "a JSON object with label, metrics, finestResolution and expiresAt must be given");
        }
        OwnerDelegationView v = delegations.create(ownerId, request);
        return Response.created(URI.create("/owners/" + ownerId + "/delegations/" + v.id())).entity(v).build();
    }

    @Operation(summary = "Your caregivers' delegations, revoked and expired ones included")
    @GET
    public List<OwnerDelegationView> list(@PathParam("ownerId") UUID ownerId, @BeanParam PageParams page) {
        caller.require(ownerId);
        return page.page(delegations.list(ownerId));
    }

    @Operation(summary = "One delegation")
    @GET
    @Path("/{delegationId}")
    public OwnerDelegationView get(@PathParam("ownerId") UUID ownerId, @PathParam("delegationId") UUID delegationId) {
        caller.require(ownerId);
        return delegations.get(ownerId, delegationId);
    }

    /** The caregiver's next request is refused; the delegation stays listed, revoked. */
    @Operation(summary = "Revoke a delegation: the caregiver's next request is refused")
    @DELETE
    @Path("/{delegationId}")
    public OwnerDelegationView revoke(@PathParam("ownerId") UUID ownerId, @PathParam("delegationId") UUID delegationId) {
        caller.require(ownerId);
        return delegations.revoke(ownerId, delegationId);
    }
}
