package org.vitalvault.vault.app;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.Optional;

/**
 * The app's security headers (docs/decisions/043): a strict Content-Security-Policy on everything
 * under {@code /app/} and {@code /dev/oidc/} — scripts and styles from the vault's own origin only
 * (no inline script or style, no eval), no frames around it, no base URI, forms and fetches to the
 * vault and the login provider only — plus nosniff and no referrer (a code or token in a URL never
 * leaves in a Referer). {@code /} redirects to the app.
 */
@ApplicationScoped
public class AppSecurityHeaders {

    @Inject
    AppLogin login;

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 1).handler(this::headers);
        router.get().order(Integer.MIN_VALUE + 2).handler(this::toTheApp);
    }

    /** {@code /} and {@code /app} (exactly: Vert.x would also match {@code /app/} for a route "/app") go to /app/. */
    private void toTheApp(RoutingContext rc) {
        String path = rc.request().path();
        if ("/".equals(path) || "/app".equals(path)) {
            rc.response().setStatusCode(302).putHeader("Location", "/app/").end();
        } else {
            rc.next();
        }
    }

    private void headers(RoutingContext rc) {
        String path = rc.normalizedPath();
        if (path.equals("/app") || path.startsWith("/app/") || path.startsWith("/dev/oidc/")) {
            String csp = policy(login.known());
            rc.addHeadersEndHandler(v -> rc.response().headers()
                    .set("Content-Security-Policy", csp)
                    .set("X-Content-Type-Options", "nosniff")
                    .set("Referrer-Policy", "no-referrer"));
        }
        rc.next();
    }

    /** The policy for the login endpoints as known now (the provider's origins when discovered). */
    static String policy(Optional<AppLogin.Endpoints> endpoints) {
        String token = endpoints.flatMap(e -> origin(e.tokenEndpoint())).map(o -> " " + o).orElse("");
        String authorize = endpoints.flatMap(e -> origin(e.authorizationEndpoint())).map(o -> " " + o).orElse("");
        return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'"
                + token + "; form-action 'self'" + authorize + "; frame-ancestors 'none'; base-uri 'none'";
    }

    /** The origin of an absolute http(s) URL; empty for a relative one (the vault's own origin). */
    static Optional<String> origin(String url) {
        try {
            URI u = URI.create(url);
            if (u.getScheme() == null || u.getHost() == null
                    || !(u.getScheme().equals("https") || u.getScheme().equals("http"))) {
                return Optional.empty();
            }
            return Optional.of(u.getScheme() + "://" + u.getRawAuthority().replaceAll(".*@", ""));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
