package org.vitalvault.vault.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.vitalvault.vault.devtoken.DevelopmentLoginCodes;

/**
 * Where the owner app signs in (docs/decisions/044): the provider of
 * {@code quarkus.oidc.auth-server-url} (its authorization and token endpoints from its discovery
 * document), else — only in builds that have it — the development login at {@code /dev/oidc}.
 * Discovery is fetched once it succeeds; the security headers use only what is already known
 * (never I/O on the event loop), so until then the app's CSP allows its own origin only.
 */
@ApplicationScoped
public class AppLogin {

    private static final Logger LOG = Logger.getLogger(AppLogin.class);

    /** The endpoints the browser uses; relative ones are on the vault's own origin. */
    public record Endpoints(String authorizationEndpoint, String tokenEndpoint, boolean devLogin) {
    }

    static final Endpoints DEVELOPMENT = new Endpoints("/dev/oidc/authorize", "/dev/oidc/token", true);

    @ConfigProperty(name = "quarkus.oidc.auth-server-url")
    Optional<String> authServerUrl;

    @Inject
    Instance<DevelopmentLoginCodes> developmentLogin;

    @Inject
    ObjectMapper json;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private volatile Endpoints discovered;

    void warmUp(@Observes StartupEvent start) {
        if (provider().isPresent()) {
            CompletableFuture.runAsync(this::endpoints);
        }
    }

    /** The endpoints, fetching the provider's discovery document if not yet known (blocking). */
    public Optional<Endpoints> endpoints() {
        Optional<String> provider = provider();
        if (provider.isEmpty()) {
            return developmentLogin.isResolvable() ? Optional.of(DEVELOPMENT) : Optional.empty();
        }
        Endpoints known = discovered;
        if (known != null) {
            return Optional.of(known);
        }
        try {
            String base = provider.get().replaceAll("/+$", "");
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            URI.create(base + "/.well-known/openid-configuration")).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                LOG.warnf("OIDC discovery at %s answered %d", base, response.statusCode());
                return Optional.empty();
            }
            JsonNode doc = json.readTree(response.body());
            String authorize = doc.path("authorization_endpoint").asText("");
            String token = doc.path("token_endpoint").asText("");
            if (authorize.isEmpty() || token.isEmpty()) {
                LOG.warnf("OIDC discovery at %s names no authorization or token endpoint", base);
                return Optional.empty();
            }
            discovered = new Endpoints(authorize, token, false);
            return Optional.of(discovered);
        } catch (java.io.IOException | IllegalArgumentException e) {
            LOG.warnf("OIDC discovery failed: %s", e.getClass().getSimpleName());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** What is known without I/O: for the security headers. */
    public Optional<Endpoints> known() {
        if (provider().isEmpty()) {
            return developmentLogin.isResolvable() ? Optional.of(DEVELOPMENT) : Optional.empty();
        }
        return Optional.ofNullable(discovered);
    }

    private Optional<String> provider() {
        return authServerUrl.map(String::strip).filter(s -> !s.isEmpty());
    }
}
