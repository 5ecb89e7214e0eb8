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

    @Inject
    PersonalAccessLog accesses;

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

    /**
     * One read of the owner's data by a caregiver they invited or a clinician in an emergency.
     *
     * @param kind       {@code caregiver} or {@code emergency}
     * @param grantId    the delegation or emergency episode it happened under
     * @param accessor   who read (a caregiver's label as the owner named them; a clinician's subject)
     * @param reason     the clinician's stated reason (emergencies only)
     * @param resolution raw, minute, hour, day, or latest
     * @param dataWindow the span of data read; null for latest values
     */
    public record PersonalAccess(long id, String kind, UUID grantId, String accessor, String reason, String metric,
                                 String resolution, Window dataWindow, Instant accessedAt) {
    }

    @Operation(summary = "Every read of the owner's data by a caregiver or in an emergency")
    @GET
    @Path("/accesses")
    public List<PersonalAccess> accesses(@PathParam("ownerId") UUID ownerId, @BeanParam PageParams page) {
        caller.require(ownerId);
        return page.page(accesses.accessesOf(ownerId, null)).stream().map(e -> {
            PersonalAccessLog.Access a = e.access();
            return new PersonalAccess(e.id(), a.kind().name().toLowerCase(java.util.Locale.ROOT), a.grantId(), a.accessor(),
                    a.reason(), a.metric(), a.resolution(),
                    a.dataFrom() == null ? null : new Window(a.dataFrom(), a.dataUntil()), a.accessedAt());
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
