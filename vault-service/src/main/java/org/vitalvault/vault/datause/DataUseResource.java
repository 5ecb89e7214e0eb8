package org.vitalvault.vault.datause;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.vitalvault.vault.auth.CallerOwner;
import org.vitalvault.vault.http.PageParams;
import org.vitalvault.vault.http.Window;

/**
 * An owner's recourse: every query that used their data (which lease, organisation, purpose,
 * metric, data window, granularity and ε), and what leases credit them. Another owner's id is 404.
 */
@Path("/owners/{ownerId}")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("owner")
public class DataUseResource {

    @Inject
    CallerOwner caller;

    @Inject
    DataUseStore store;

    /** One use of the owner's data; {@code dataWindow} is the span of readings the query covered. */
    public record DataUse(long id, UUID leaseId, UUID queryId, Organisation organisation, String purpose, String metric,
                          String granularity, Window dataWindow, double epsilon, Instant usedAt) {
    }

    /**
     * The organisation that used it.
     *
     * @param status its status now: {@code SUSPENDED} when an operator stopped it (its leases answer no more queries)
     */
    public record Organisation(UUID id, String name,
                               @Schema(implementation = org.vitalvault.vault.auth.Organisation.Status.class) String status) {
    }

    /** The owner's credits: the total and each lease's. */
    public record Credits(long totalCents, String currency, List<DataUseStore.Credit> credits) {
    }

    @Operation(summary = "Every use of the owner's data by a lease")
    @GET
    @Path("/data-uses")
    public List<DataUse> uses(@PathParam("ownerId") UUID ownerId, @BeanParam PageParams page) {
        caller.require(ownerId);
        return page.page(store.usesOf(ownerId)).stream().map(e -> {
            DataUseStore.Use u = e.use();
            return new DataUse(e.id(), u.leaseId(), u.queryId(), new Organisation(u.organisation(), u.organisationName(), e.organisationStatus()),
                    u.purpose(), u.metric(), u.granularity(), new Window(u.dataFrom(), u.dataUntil()), u.epsilon(), u.usedAt());
        }).toList();
    }

    @Operation(summary = "The owner's credits from leases")
    @GET
    @Path("/credits")
    public Credits credits(@PathParam("ownerId") UUID ownerId) {
        caller.require(ownerId);
        List<DataUseStore.Credit> credits = store.creditsOf(ownerId);
        return new Credits(credits.stream().mapToLong(DataUseStore.Credit::cents).sum(), "EUR", credits);
    }
}
