package org.vitalvault.vault.owner;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
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
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.vitalvault.vault.auth.CallerOwner;
import org.vitalvault.vault.auth.Owner;
import org.vitalvault.vault.erasure.ErasureReceipt;
import org.vitalvault.vault.erasure.OwnerErasure;
import org.vitalvault.vault.keys.OwnerKeyring;
import org.vitalvault.vault.refusal.Conflict;
import org.vitalvault.vault.refusal.InvalidInput;
import org.vitalvault.vault.refusal.NotFound;

/** Owners register themselves (one vault per token subject), look themselves up, and erase themselves. */
@Path("/owners")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("owner")
public class OwnerResource {

    @Inject
    CallerOwner caller;

    @Inject
    OwnerKeyring keyring;

    @Inject
    OwnerErasure erasure;

    @Inject
    Clock clock;

    /** The view of an owner a client sees. */
    public record OwnerView(UUID id, Instant createdAt) {
        static OwnerView of(Owner o) {
            return new OwnerView(o.id, o.createdAt);
        }
    }

    @Operation(summary = "Register the caller as an owner")
    @POST
    @Transactional
    public Response register() {
        if (caller.registered().isPresent()) {
            throw new Conflict("already-registered", "Already registered",
                    "this subject already has a vault; GET /owners/me returns it");
        }
        Owner owner = new Owner();
        owner.id = UUID.randomUUID();
        // Only the keyed hash: a dump of the table must not show who signs in (decision 037).
        owner.subjectHash = caller.subjectHash();
        owner.createdAt = clock.instant();
        owner.persist();
        keyring.createFirstKey(owner.id);
        return Response.created(URI.create("/owners/" + owner.id)).entity(OwnerView.of(owner)).build();
    }

    @Operation(summary = "The caller's owner record")
    @GET
    @Path("/me")
    public OwnerView me() {
        return caller.registered().map(OwnerView::of)
                .orElseThrow(() -> new NotFound("not-registered", "Not registered",
                        "this subject has no vault yet; POST /owners creates it"));
    }

    @Operation(summary = "An owner record")
    @GET
    @Path("/{ownerId}")
    public OwnerView get(@PathParam("ownerId") UUID ownerId) {
        return OwnerView.of(caller.require(ownerId));
    }

    /**
     * What an owner sends to confirm erasure: their own owner id, once more. The one irreversible
     * call must not be reachable by a request that was meant for something else (a sub-resource
     * DELETE carries no such body), nor by a client that got the id wrong.
     */
    public record ErasureConfirmation(UUID confirmOwnerId) {
    }

    /**
     * Erases the caller's account: key material first, then every row; answers the receipt signed
     * by the vault (verify it against GET /vault/keys). Not undoable, so the body must repeat the
     * owner id: {@code {"confirmOwnerId": "<ownerId>"}}.
     */
    @Operation(summary = "Erase the owner's whole vault (irreversible); returns a signed erasure receipt")
    @DELETE
    @Path("/{ownerId}")
    @Consumes(MediaType.APPLICATION_JSON)
    public ErasureReceipt.Signed erase(@PathParam("ownerId") UUID ownerId, ErasureConfirmation confirmation) {
        caller.require(ownerId);
        if (confirmation == null || !ownerId.equals(confirmation.confirmOwnerId())) {
            throw InvalidInput.field("confirmOwnerId",
                    "erasure is irreversible: send {\"confirmOwnerId\": \"<this owner's id>\"} as the JSON body");
        }
        return erasure.erase(ownerId, caller.subject());
    }
}
