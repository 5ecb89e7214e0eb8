package org.vitalvault.vault.coop;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
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
import org.vitalvault.policy.consent.CoopTerms;
import org.vitalvault.policy.consent.SystemPolicy;
import org.vitalvault.policy.consent.Terms;
import org.vitalvault.vault.auth.CallerOwner;
import org.vitalvault.vault.auth.Owner;
import org.vitalvault.vault.consent.TermsBody;
import org.vitalvault.vault.http.PageParams;
import org.vitalvault.vault.refusal.FieldErrors;
import org.vitalvault.vault.refusal.InvalidInput;
import org.vitalvault.vault.refusal.NotFound;

/**
 * Co-ops: an owner founds one with standing terms; every owner can read them before joining
 * ({@code PUT /owners/{ownerId}/memberships/{coopId}}). Members are never listed.
 */
@Path("/coops")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("owner")
public class CoopResource {

    private static final int MAX_NAME = 100;

    @Inject
    CallerOwner caller;

    @Inject
    CoopStore coops;

    @Inject
    SystemPolicy system;

    @Inject
    Clock clock;

    /** What a founder sends. */
    public record CoopRequest(String name, TermsBody terms) {
    }

    /** A co-op as anyone sees it: name and standing terms. */
    public record CoopView(UUID id, String name, TermsBody terms, Instant createdAt) {
        static CoopView of(StoredCoop c) {
            return new CoopView(c.id(), c.name(), TermsBody.of(c.terms().terms()), c.createdAt());
        }
    }

    @Operation(summary = "Found a co-op with its terms")
    @POST
    @Transactional
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(CoopRequest request) {
        Owner founder = caller.registered().orElseThrow(() -> new NotFound("not-registered",
                "Not registered", "this subject has no vault yet; POST /owners creates it"));
        if (request == null) {
            throw InvalidInput.field("body", "a JSON object with name and terms must be given");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        FieldErrors errors = new FieldErrors();
        if (request.name() == null || request.name().isBlank() || request.name().length() > MAX_NAME) {
            errors.add("name", "must be given, 1 to " + MAX_NAME + " characters");
        }
        Terms terms = null;
        if (request.terms() == null) {
            errors.add("terms", "must be given");
        } else {
            terms = request.terms().toTerms("terms", now, system, errors);
        }
        errors.throwIfAny();
        UUID id = UUID.randomUUID();
        StoredCoop coop = new StoredCoop(id, request.name().strip(), new CoopTerms(id, terms), now);
        coops.insert(coop, founder.id);
        return Response.created(URI.create("/coops/" + id)).entity(CoopView.of(coop)).build();
    }

    @Operation(summary = "The co-ops")
    @GET
    public List<CoopView> list(@BeanParam PageParams page) {
        return page.page(coops.all()).stream().map(CoopView::of).toList();
    }

    @Operation(summary = "One co-op")
    @GET
    @Path("/{coopId}")
    public CoopView get(@PathParam("coopId") UUID coopId) {
        return coops.find(coopId).map(CoopView::of).orElseThrow(() -> new NotFound("co-op " + coopId));
    }
}
