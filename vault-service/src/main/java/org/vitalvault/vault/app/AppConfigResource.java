package org.vitalvault.vault.app;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.vitalvault.vault.config.VaultConfig;
import org.vitalvault.vault.refusal.Unavailable;

/** What the app needs before anyone is signed in: where and as which client to log in. Public. */
@Path("/app/config.json")
@PermitAll
public class AppConfigResource {

    /** The login settings of the app (decision 044); endpoints may be relative to the vault's origin. */
    public record AppConfig(String authorizationEndpoint, String tokenEndpoint, String clientId, String scope,
                            boolean devLogin) {
    }

    @Inject
    AppLogin login;

    @Inject
    VaultConfig config;

    @Operation(summary = "The owner app's login settings (public)")
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response get() {
        AppLogin.Endpoints e = login.endpoints().orElseThrow(() -> new Unavailable("no-login-provider",
                "No login provider", "the vault knows no OIDC provider's endpoints yet (quarkus.oidc.auth-server-url"
                + " unreachable or unset in a build without the development login)", Duration.ofSeconds(10)));
        return Response.ok(new AppConfig(e.authorizationEndpoint(), e.tokenEndpoint(), config.app().clientId(),
                config.app().scope(), e.devLogin())).header("Cache-Control", "no-store").build();
    }
}
