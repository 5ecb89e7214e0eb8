package org.vitalvault.vault.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * Refuses every request whose path is not canonical ({@link CanonicalPath}) with a 400 problem,
 * before routing and before authentication, so that no path trick reaches a resource it does not
 * literally name (the vault's erasure among them).
 */
@ApplicationScoped
public class CanonicalPathGuard {

    @Inject
    ObjectMapper json;

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::check);
    }

    private void check(RoutingContext rc) {
        String uri = rc.request().uri();
        int end = indexOfAny(uri, '?', '#');
        String rawPath = originForm(end < 0 ? uri : uri.substring(0, end));
        Optional<String> violation = CanonicalPath.violation(rawPath);
        if (violation.isEmpty()) {
            rc.next();
            return;
        }
        // The instance is left out: echoing a non-canonical path back is what we refuse to interpret.
        Problem p = new Problem("https://vitalvault.org/problems/non-canonical-path", "Non-canonical path", 400,
                violation.get() + "; send the resource's path literally", null, null, null);
        String body;
        try {
            body = json.writeValueAsString(p);
        } catch (JsonProcessingException e) {
            body = "{\"status\":400}";
        }
        rc.response().setStatusCode(400).putHeader("Content-Type", Problem.MEDIA_TYPE).end(body);
    }

    /** The path of an absolute-form request target ({@code http://host/path}, RFC 9112 §3.2.2). */
    private static String originForm(String target) {
        int scheme = target.indexOf("://");
        if (target.startsWith("/") || scheme < 0) {
            return target;
        }
        int path = target.indexOf('/', scheme + 3);
        return path < 0 ? "/" : target.substring(path);
    }

    private static int indexOfAny(String s, char a, char b) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == a || c == b) {
                return i;
            }
        }
        return -1;
    }
}
