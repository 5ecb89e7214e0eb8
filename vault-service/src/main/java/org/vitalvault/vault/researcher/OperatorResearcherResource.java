package org.vitalvault.vault.researcher;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.vitalvault.vault.auth.Organisation;
import org.vitalvault.vault.refusal.NotFound;

/** Operator action: approve a registered researcher organisation, so it may request leases. */
@Path("/operator/researchers")
@RolesAllowed("operator")
public class OperatorResearcherResource {

    @Inject
    ResearcherStore store;

    @Inject
    JsonWebToken token;

    @Inject
    Clock clock;

    @Operation(summary = "Approve an organisation (operator)")
    @POST
    @Path("/{orgId}/approve")
    @Transactional
    @Produces(MediaType.APPLICATION_JSON)
    public ResearcherResource.OrganisationView approve(@PathParam("orgId") UUID orgId) {
        Organisation org = store.approve(orgId, token.getSubject(), clock.instant())
                .orElseThrow(() -> new NotFound("organisation " + orgId));
        return ResearcherResource.OrganisationView.of(org, 0);
    }
}
