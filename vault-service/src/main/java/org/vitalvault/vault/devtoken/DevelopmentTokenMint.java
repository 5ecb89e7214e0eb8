package org.vitalvault.vault.devtoken;

import io.quarkus.arc.properties.IfBuildProperty;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.vitalvault.vault.config.VaultConfig;

/**
 * Development only, not a login: mints a signed bearer token for any subject in any role, operator
 * included, so that the README's curl tour and the end-to-end tests work without an OIDC provider.
 *
 * <p><b>Absent from production builds.</b> The class exists in an application only when it was
 * <em>built</em> with {@value #BUILD_PROPERTY}{@code =true}: Quarkus decides {@link IfBuildProperty}
 * at build time and drops the endpoint from the built application otherwise, so no runtime setting
 * can turn it on. The plain {@code mvn package} (the {@code prod} profile) leaves it out; the
 * vault's second build for the local stack ({@code target/quarkus-app-local}), {@code mvn
 * quarkus:dev} and the tests set it (docs/decisions/021). Production verifies tokens of a real issuer.
 */
@Path("/dev/tokens")
@PermitAll
@IfBuildProperty(name = DevelopmentTokenMint.BUILD_PROPERTY, stringValue = "true")
public class DevelopmentTokenMint {

    /** The build-time property that puts this endpoint into a build. */
    public static final String BUILD_PROPERTY = "vitalvault.dev-tokens.enabled";

    /** Said in every answer, so that nobody takes the token for the product's login. */
    static final String NOTICE = "Development token from the local stack's token mint: it proves nothing about"
            + " who asked for it. Production builds have no such endpoint and verify tokens of a real issuer.";

    @Inject
    VaultConfig config;

    @Inject
    Clock clock;

    /** Who the token is for and in which role. */
    public record TokenRequest(@NotBlank @Size(max = 200) String subject,
                               @NotNull @Pattern(regexp = "owner|caregiver|clinician|researcher|operator",
                                       message = "must be one of owner, caregiver, clinician, researcher, operator") String role) {
    }

    /** A development bearer token, when it stops working, and a notice that it is one. */
    public record DevelopmentToken(String token, Instant expiresAt, String notice) {
        @Override
        public String toString() {
            return "DevelopmentToken[expiresAt=" + expiresAt + "]";
        }
    }

    @Operation(summary = "Mint a development token (local stack builds only; not a login)")
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public DevelopmentToken mint(@Valid @NotNull TokenRequest request) {
        Instant now = clock.instant();
        Instant expires = now.plus(config.devTokens().lifetime());
        // The issuer and audience the vault requires in static-key mode (decision 035).
        String token = Jwt.issuer(config.jwt().issuer())
                .audience(config.jwt().audience())
                .subject(request.subject())
                .upn(request.subject())
                .groups(Set.of(request.role()))
                .issuedAt(now)
                .expiresAt(expires)
                .sign();
        return new DevelopmentToken(token, expires, NOTICE);
    }
}
