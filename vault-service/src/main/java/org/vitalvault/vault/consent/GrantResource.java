package org.vitalvault.vault.consent;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
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
import org.vitalvault.policy.consent.Audience;
import org.vitalvault.policy.consent.ConsentGrant;
import org.vitalvault.policy.consent.SystemPolicy;
import org.vitalvault.vault.auth.CallerOwner;
import org.vitalvault.vault.auth.Organisations;
import org.vitalvault.vault.http.PageParams;
import org.vitalvault.vault.refusal.InvalidInput;
import org.vitalvault.vault.refusal.NotFound;

/**
 * An owner's consent grants: create, list, read, amend, revoke. Every change answers the grant and
 * a consent receipt signed by the vault. Another owner's grants answer 404, like unknown ones.
 */
@Path("/owners/{ownerId}/grants")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("owner")
public class GrantResource {

    @Inject
    CallerOwner caller;

    @Inject
    Consents consents;

    @Inject
    GrantStore grants;

    @Inject
    SystemPolicy system;

    @Inject
    Organisations organisations;

    @Inject
    Clock clock;

    @Operation(summary = "Grant consent; returns the grant and its signed receipt")
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@PathParam("ownerId") UUID ownerId, GrantRequest request) {
        caller.require(ownerId);
        Instant now = now();
        ConsentGrant grant = body(request).toGrant(UUID.randomUUID(), ownerId, now, system);
        if (grant.audience() instanceof Audience.Researcher r && organisations.find(r.organisation()).isEmpty()) {
            // A grant to an id that names no organisation (a typo, an owner id) would never count,
            // and would silently count for whoever later registers under that id.
            throw InvalidInput.field("audience.researcher", "names no registered researcher organisation");
        }
        Consents.GrantChange change = consents.create(grant, caller.subject(), now);
        return Response.created(URI.create("/owners/" + ownerId + "/grants/" + change.grant().id())).entity(change).build();
    }

    @Operation(summary = "The owner's grants")
    @GET
    public List<GrantView> list(@PathParam("ownerId") UUID ownerId, @BeanParam PageParams page) {
        caller.require(ownerId);
        Instant now = now();
        return page.page(grants.ofOwner(ownerId)).stream().map(g -> GrantView.of(g, now)).toList();
    }

    @Operation(summary = "One grant")
    @GET
    @Path("/{grantId}")
    public GrantView get(@PathParam("ownerId") UUID ownerId, @PathParam("grantId") UUID grantId) {
        caller.require(ownerId);
        return grants.find(ownerId, grantId, false).map(g -> GrantView.of(g, now()))
                .orElseThrow(() -> new NotFound("grant " + grantId));
    }

    /** Replaces the grant's terms (its audience stays); the version goes up by one. */
    @Operation(summary = "Amend a grant's terms; returns a signed receipt")
    @PUT
    @Path("/{grantId}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Consents.GrantChange amend(@PathParam("ownerId") UUID ownerId, @PathParam("grantId") UUID grantId,
                                      GrantRequest request) {
        caller.require(ownerId);
        GrantRequest body = body(request);
        Instant now = now();
        return consents.amend(ownerId, grantId, current -> body.amend(current, now, system), caller.subject(), now);
    }

    /** Revokes the grant: it no longer counts in any decision or query from now on. The grant stays listed, revoked. */
    @Operation(summary = "Revoke a grant; returns a signed receipt")
    @DELETE
    @Path("/{grantId}")
    public Consents.GrantChange revoke(@PathParam("ownerId") UUID ownerId, @PathParam("grantId") UUID grantId) {
        caller.require(ownerId);
        return consents.revoke(ownerId, grantId, caller.subject(), now());
    }

    private static GrantRequest body(GrantRequest request) {
        if (request == null) {
            throw InvalidInput.field("body", "a JSON object with audience and terms must be given");
        }
        return request;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
