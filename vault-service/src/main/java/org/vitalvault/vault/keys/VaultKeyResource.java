package org.vitalvault.vault.keys;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Base64;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The vault's public signing keys as a JWK Set (RFC 7517 §5, OKP keys per RFC 8037), so anyone can
 * verify a receipt the vault signed — offline, with any JOSE library. Public: no token needed.
 */
@Path("/vault/keys")
@PermitAll
public class VaultKeyResource {

    @Inject
    VaultSigner signer;

    /** One public key: {@code x} is the raw Ed25519 key, base64url without padding. */
    public record Jwk(String kty, String crv, String x, String kid, String use, String alg) {
    }

    /** A JWK Set. */
    public record JwkSet(List<Jwk> keys) {
    }

    @Operation(summary = "The vault's public signing keys (JWK set)")
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response keys() {
        Jwk jwk = new Jwk("OKP", "Ed25519", Base64.getUrlEncoder().withoutPadding().encodeToString(signer.publicKey()),
                signer.kid(), "sig", "EdDSA");
        CacheControl cache = new CacheControl();
        cache.setMaxAge(300);
        return Response.ok(new JwkSet(List.of(jwk))).cacheControl(cache).build();
    }
}
