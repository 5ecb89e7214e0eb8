package org.vitalvault.vault.devtoken;

import io.smallrye.jwt.build.Jwt;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.vitalvault.vault.config.VaultConfig;
import org.vitalvault.vault.refusal.NotFound;

/**
 * Local-mode stand-in for an OIDC provider: mints a signed bearer token for any subject so the
 * README's curl tour works without one. Answers 404 unless {@code vitalvault.dev-tokens.enabled},
 * which only the local stack sets; production verifies tokens of a real issuer instead.
 */
@Path("/dev/tokens")
@PermitAll
public class DevTokenResource {

    @Inject
    VaultConfig config;

    @Inject
    Clock clock;

    @ConfigProperty(name = "mp.jwt.verify.issuer")
    String issuer;

    /** Who the token is for and in which role. */
    public record TokenRequest(@NotBlank @Size(max = 200) String subject,
                               @NotNull @Pattern(regexp = "owner|researcher|operator",
                                       message = "must be one of owner, researcher, operator") String role) {
    }

    /** A bearer token and when it stops working. */
    public record TokenResponse(String token, Instant expiresAt) {
        @Override
        public String toString() {
            return "TokenResponse[expiresAt=" + expiresAt + "]";
        }
    }

    @Operation(summary = "Mint a development token (local stack only, not a login)")
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public TokenResponse mint(@Valid @NotNull TokenRequest request) {
        if (!config.devTokens().enabled()) {
            throw new NotFound("/dev/tokens");
        }
        Instant now = clock.instant();
        Instant expires = now.plus(config.devTokens().lifetime());
        String token = Jwt.issuer(issuer)
                .subject(request.subject())
                .upn(request.subject())
                .groups(Set.of(request.role()))
                .issuedAt(now)
                .expiresAt(expires)
                .sign();
        return new TokenResponse(token, expires);
    }
}
