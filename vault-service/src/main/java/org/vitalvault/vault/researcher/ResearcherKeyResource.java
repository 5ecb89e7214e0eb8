package org.vitalvault.vault.researcher;

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
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.vitalvault.vault.auth.CallerResearcher;
import org.vitalvault.vault.auth.Organisation;
import org.vitalvault.vault.http.PageParams;
import org.vitalvault.vault.lease.LeaseResource;
import org.vitalvault.vault.lease.SignedRequests;
import org.vitalvault.vault.refusal.InvalidInput;
import org.vitalvault.vault.refusal.NotFound;

/**
 * An organisation's request-signing keys: it rotates to a new key with a rotation signed by the
 * current one (decision 026), and lists every key it has had, so a lease document's lessee
 * {@code kid} can be resolved to the key that signed the request long after that key was retired.
 * Any status may rotate, a suspended organisation too: rotating grants no data, and is how an
 * organisation whose key leaked recovers. Public keys only, never anything private.
 */
@Path("/researchers/{orgId}/keys")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("researcher")
public class ResearcherKeyResource {

    private static final Pattern KID = Pattern.compile("[0-9a-f]{16}");
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    @Inject
    CallerResearcher caller;

    @Inject
    ResearcherStore store;

    @Inject
    SignedRequests signed;

    @Inject
    Clock clock;

    /** A public Ed25519 key as a JWK (RFC 8037). */
    public record PublicJwk(String kty, String crv, String x) {
    }

    /**
     * One key the organisation has had.
     *
     * @param validFrom when it became current (registration or rotation)
     * @param retiredAt when a rotation retired it; null for the current key
     * @param rotation  the rotation that made it current, a JWS signed by the key before it; null for the registered key
     */
    public record KeyView(String kid, PublicJwk publicKey, Instant validFrom, Instant retiredAt, String rotation) {
        static KeyView of(ResearcherKey k) {
            return new KeyView(k.kid, new PublicJwk("OKP", "Ed25519", B64URL.encodeToString(k.publicKey)), k.validFrom,
                    k.retiredAt, k.rotationJws);
        }
    }

    @Operation(summary = "Rotate the organisation's request-signing key (a JWS signed with the current key)")
    @RequestBody(required = true, description = "A compact JWS, typ " + KeyRotationPayload.TYP
            + ", signed with the organisation's current Ed25519 key; its payload is a KeyRotationPayload naming the new key",
            content = @Content(mediaType = LeaseResource.APPLICATION_JOSE, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "201", description = "The new current key; the previous one is retired at the same instant",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = KeyView.class)))
    @APIResponse(responseCode = "403", description = "Not signed with the organisation's current key (`signature-invalid`), "
            + "or the token's role or subject may not do this")
    @APIResponse(responseCode = "409", description = "The organisation has had this key before (`researcher-key-reused`)")
    @POST
    @Transactional
    @Consumes({LeaseResource.APPLICATION_JOSE, MediaType.TEXT_PLAIN})
    public Response rotate(@PathParam("orgId") UUID orgId, String jws) {
        caller.require(orgId);
        // Locked before the signature is checked: the key verified against stays current until this commits.
        Organisation current = store.lockForUpdate(orgId).orElseThrow(() -> new NotFound("organisation " + orgId));
        SignedRequests.Opened<KeyRotationPayload> opened = signed.open(current, jws, KeyRotationPayload.TYP,
                KeyRotationPayload.class);
        KeyRotationPayload payload = opened.payload();
        if (!orgId.equals(payload.organisation())) {
            throw InvalidInput.field("organisation", "must be the id of the organisation the rotation is posted to");
        }
        byte[] key;
        try {
            key = ResearcherKeys.parse(payload.publicKey());
        } catch (IllegalArgumentException e) {
            throw InvalidInput.field("publicKey", e.getMessage());
        }
        ResearcherKey next = store.rotate(orgId, key, opened.jws(), clock.instant().truncatedTo(ChronoUnit.MICROS));
        return Response.created(URI.create("/researchers/" + orgId + "/keys/" + next.kid)).entity(KeyView.of(next)).build();
    }

    @Operation(summary = "Every request-signing key the organisation has had, the current one last")
    @GET
    public List<KeyView> list(@PathParam("orgId") UUID orgId, @BeanParam PageParams page) {
        caller.require(orgId);
        return page.page(store.keysOf(orgId)).stream().map(KeyView::of).toList();
    }

    @Operation(summary = "One of the organisation's keys, by kid (as a lease document's organisation.kid names it)")
    @GET
    @Path("/{kid}")
    public KeyView get(@PathParam("orgId") UUID orgId, @PathParam("kid") String kid) {
        caller.require(orgId);
        if (kid == null || !KID.matcher(kid).matches()) {
            throw new NotFound("that key");
        }
        return store.key(orgId, kid).map(KeyView::of).orElseThrow(() -> new NotFound("key " + kid));
    }
}
