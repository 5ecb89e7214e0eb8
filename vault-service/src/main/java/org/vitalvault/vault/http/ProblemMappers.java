package org.vitalvault.vault.http;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place that turns exceptions into RFC 9457 problem responses. Unknown exceptions become
 * a bare 500: their message may carry internals, so it goes to the log (by class and message of
 * our own code only), never to the client.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    private static final String TYPE_BASE = "https://vitalvault.org/problems/";

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        return respond(e.status(), e.code(), e.title(), e.getMessage(), uri, e.errors());
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e, UriInfo uri) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(fieldOf(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .toList();
        String detail = errors.stream().map(f -> f.field() + ": " + f.message()).reduce((a, b) -> a + "; " + b).orElse("");
        return respond(400, "invalid-input", "Invalid input", detail, uri, errors);
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthorized(RuntimeException e, UriInfo uri) {
        return Response.fromResponse(respond(401, "unauthorized", "Unauthorized",
                "a valid bearer token is required", uri, null)).header("WWW-Authenticate", "Bearer").build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return respond(403, "forbidden", "Forbidden", "this token's role may not do this", uri, null);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        String title = Response.Status.fromStatusCode(status) == null ? "Error"
                : Response.Status.fromStatusCode(status).getReasonPhrase();
        String detail = switch (status) {
            case 404 -> "no such resource";
            case 405 -> "method not allowed on this resource";
            case 406 -> "cannot produce the requested media type";
            case 415 -> "unsupported media type";
            default -> status < 500 ? "the request could not be processed" : "internal error";
        };
        if (e.getCause() != null && status == 400) {
            detail = "the request body or a parameter is malformed";
        }
        return respond(status, slug(title), title, detail, uri, null);
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e, UriInfo uri) {
        if (databaseUnreachable(e)) {
            LOG.warnf("database unreachable on %s", uri.getPath());
            return Response.fromResponse(respond(503, "store-unavailable", "Service unavailable",
                    "the vault's database is unreachable; retry shortly", uri, null)).header("Retry-After", "5").build();
        }
        LOG.errorf(e, "unexpected error on %s", uri.getPath());
        return respond(500, "internal", "Internal error", "the vault could not complete the request", uri, null);
    }

    private static Response respond(int status, String code, String title, String detail, UriInfo uri,
                                    List<Problem.FieldError> errors) {
        Problem p = new Problem(TYPE_BASE + code, title, status, detail, uri == null ? null : uri.getPath(), errors);
        return Response.status(status).type(Problem.MEDIA_TYPE).entity(p).build();
    }

    /** SQLState class 08 is "connection exception": PostgreSQL is down or restarting. */
    private static boolean databaseUnreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
                return true;
            }
        }
        return false;
    }

    private static String fieldOf(ConstraintViolation<?> v) {
        String path = v.getPropertyPath().toString();
        // "method.arg0.field" -> "field": clients know their fields, not our method names.
        int dot = path.lastIndexOf('.');
        return dot < 0 ? path : path.substring(dot + 1);
    }

    private static String slug(String title) {
        return title.toLowerCase().replace(' ', '-');
    }
}
