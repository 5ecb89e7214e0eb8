package org.vitalvault.vault.consent;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.vitalvault.vault.auth.CallerOwner;
import org.vitalvault.vault.http.PageParams;

/** The owner's consent trail: every grant created, amended, revoked and every co-op joined or left, oldest first. */
@Path("/owners/{ownerId}/consent-events")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("owner")
public class ConsentEventResource {

    @Inject
    CallerOwner caller;

    @Inject
    ConsentEvents events;

    @Operation(summary = "The owner's consent events, each with its signed receipt")
    @GET
    public List<ConsentEvents.Event> list(@PathParam("ownerId") UUID ownerId, @BeanParam PageParams page) {
        caller.require(ownerId);
        return page.page(events.of(ownerId, caller.subject()));
    }
}
