package org.vitalvault.vault.attributes;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.vitalvault.policy.consent.AgeBand;
import org.vitalvault.policy.consent.OwnerAttributes;
import org.vitalvault.policy.consent.Sex;
import org.vitalvault.vault.auth.CallerOwner;
import org.vitalvault.vault.refusal.FieldErrors;

/**
 * The coarse attributes an owner shares so researchers' cohort filters can select them: age band,
 * administrative sex, region. Each is optional; leaving one out withdraws it, effective at the next
 * lease decision or query. The vault never infers them.
 */
@Path("/owners/{ownerId}/attributes")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("owner")
public class SharedAttributesResource {

    /** As written on the wire: {@code {"ageBand":"30-39","sex":"female","region":"DE-BY"}}, each optional. */
    public record Body(String ageBand, String sex, String region) {

        static Body of(OwnerAttributes a) {
            return new Body(a.ageBand() == null ? null : a.ageBand().label(),
                    a.sex() == null ? null : a.sex().name().toLowerCase(java.util.Locale.ROOT), a.region());
        }
    }

    @Inject
    CallerOwner caller;

    @Inject
    SharedAttributesStore store;

    @Inject
    Clock clock;

    @Operation(summary = "The owner's shared attributes (age band, sex, region)")
    @GET
    public Body get(@PathParam("ownerId") UUID ownerId) {
        caller.require(ownerId);
        return Body.of(store.of(ownerId));
    }

    @Operation(summary = "Set the owner's shared attributes")
    @PUT
    @Transactional
    @Consumes(MediaType.APPLICATION_JSON)
    public Body put(@PathParam("ownerId") UUID ownerId, Body body) {
        caller.require(ownerId);
        Body b = body == null ? new Body(null, null, null) : body;
        FieldErrors errors = new FieldErrors();
        AgeBand band = null;
        Sex sex = null;
        String region = null;
        try {
            band = b.ageBand() == null ? null : AgeBand.of(b.ageBand());
        } catch (IllegalArgumentException e) {
            errors.add("ageBand", e.getMessage());
        }
        try {
            sex = b.sex() == null ? null : Sex.of(b.sex());
        } catch (IllegalArgumentException e) {
            errors.add("sex", e.getMessage());
        }
        try {
            region = new OwnerAttributes(null, null, b.region()).region();
        } catch (IllegalArgumentException e) {
            errors.add("region", e.getMessage());
        }
        errors.throwIfAny();
        OwnerAttributes shared = new OwnerAttributes(band, sex, region);
        store.put(ownerId, shared, clock.instant());
        return Body.of(shared);
    }
}
