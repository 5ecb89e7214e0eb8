package org.vitalvault.vault.researcher;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.vitalvault.vault.auth.Organisation;
import org.vitalvault.vault.http.PageParams;
import org.vitalvault.vault.refusal.NotFound;

/**
 * Operator actions on researcher organisations: approve a registered one, so it may request leases;
 * suspend one, so its leases stop answering from the moment the suspension commits (decision 026),
 * and reinstate it. Each suspension and reinstatement is recorded with the operator's token subject,
 * the time and the reason.
 */
@Path("/operator/researchers")
@RolesAllowed("operator")
@Produces(MediaType.APPLICATION_JSON)
public class OperatorResearcherResource {

    @Inject
    ResearcherStore store;

    @Inject
    JsonWebToken token;

    @Inject
    Clock clock;

    /** Why an operator suspends or reinstates an organisation; kept with the change. */
    public record StatusChangeRequest(@NotBlank @Size(max = 1000) String reason) {
    }

    /**
     * One suspension or reinstatement.
     *
     * @param status the status it set
     * @param by     the operator's token subject
     */
    public record StatusChangeView(@Schema(implementation = Organisation.Status.class) String status, String reason,
                                   String by, Instant at) {
        static StatusChangeView of(StatusChange c) {
            return new StatusChangeView(c.status.name(), c.reason, c.changedBy, c.changedAt);
        }
    }

    @Operation(summary = "Approve an organisation (operator)")
    @POST
    @Path("/{orgId}/approve")
    @Transactional
    public ResearcherResource.OrganisationView approve(@PathParam("orgId") UUID orgId) {
        Organisation org = store.approve(orgId, token.getSubject(), clock.instant())
                .orElseThrow(() -> new NotFound("organisation " + orgId));
        return ResearcherResource.OrganisationView.of(org, 0);
    }

    @Operation(summary = "Suspend an organisation: its lease requests and queries are refused from now on (operator)")
    @APIResponse(responseCode = "409", description = "It is suspended already (`researcher-already-suspended`)")
    @POST
    @Path("/{orgId}/suspend")
    @Transactional
    @Consumes(MediaType.APPLICATION_JSON)
    public ResearcherResource.OrganisationView suspend(@PathParam("orgId") UUID orgId,
                                                       @Valid @NotNull StatusChangeRequest body) {
        Organisation org = store.suspend(orgId, token.getSubject(), body.reason().strip(), now())
                .orElseThrow(() -> new NotFound("organisation " + orgId));
        return ResearcherResource.OrganisationView.of(org, 0);
    }

    @Operation(summary = "Lift an organisation's suspension: approved again, or pending if it never was (operator)")
    @APIResponse(responseCode = "409", description = "It is not suspended (`researcher-not-suspended`)")
    @POST
    @Path("/{orgId}/reinstate")
    @Transactional
    @Consumes(MediaType.APPLICATION_JSON)
    public ResearcherResource.OrganisationView reinstate(@PathParam("orgId") UUID orgId,
                                                         @Valid @NotNull StatusChangeRequest body) {
        Organisation org = store.reinstate(orgId, token.getSubject(), body.reason().strip(), now())
                .orElseThrow(() -> new NotFound("organisation " + orgId));
        return ResearcherResource.OrganisationView.of(org, 0);
    }

    @Operation(summary = "Every suspension and reinstatement of an organisation, oldest first (operator)")
    @GET
    @Path("/{orgId}/status-changes")
    public List<StatusChangeView> statusChanges(@PathParam("orgId") UUID orgId, @BeanParam PageParams page) {
        if (store.find(orgId).isEmpty()) {
            throw new NotFound("organisation " + orgId);
        }
        return page.page(store.statusChangesOf(orgId)).stream().map(StatusChangeView::of).toList();
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
