package org.vitalvault.vault.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.vitalvault.vault.refusal.Conflict;
import org.vitalvault.vault.refusal.InvalidInput;
import org.vitalvault.vault.refusal.NotFound;
import org.vitalvault.vault.refusal.NotPermitted;
import org.vitalvault.vault.refusal.TooMany;
import org.vitalvault.vault.refusal.Unavailable;
import org.vitalvault.vault.refusal.Refusal;

/**
 * The one place that turns exceptions into RFC 9457 problem responses, and the one place that
 * chooses a status: services and stores throw domain {@link Refusal}s (not found 404, conflict 409,
 * not permitted 403, invalid input 400, too many 429 with Retry-After, unavailable 503 with
 * Retry-After), whose code becomes the problem's {@code type}. Unknown
 * exceptions become a bare 500: their message may carry internals, so it goes to the log (by class
 * and message of our own code only), never to the client; so do Jackson's and the JDBC driver's.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    private static final String TYPE_BASE = "https://vitalvault.org/problems/";

    @ServerExceptionMapper
    public Response notFound(NotFound e, UriInfo uri) {
        return refused(404, e, uri, null);
    }

    @ServerExceptionMapper
    public Response conflict(Conflict e, UriInfo uri) {
        return refused(409, e, uri, null);
    }

    @ServerExceptionMapper
    public Response notPermitted(NotPermitted e, UriInfo uri) {
        return refused(403, e, uri, null);
    }

    @ServerExceptionMapper
    public Response tooMany(TooMany e, UriInfo uri) {
        Response r = refused(429, e, uri, null);
        return Response.fromResponse(r).header("Retry-After", Math.max(1, e.retryAfter().toSeconds())).build();
    }

    @ServerExceptionMapper
    public Response unavailable(Unavailable e, UriInfo uri) {
        Response r = refused(503, e, uri, null);
        return Response.fromResponse(r).header("Retry-After", Math.max(1, e.retryAfter().toSeconds())).build();
    }

    @ServerExceptionMapper
    public Response invalidInput(InvalidInput e, UriInfo uri) {
        return refused(400, e, uri, e.errors().stream().map(f -> new Problem.FieldError(f.field(), f.message())).toList());
    }

    private static Response refused(int status, Refusal e, UriInfo uri, List<Problem.FieldError> errors) {
        List<Problem.ReasonItem> reasons = e.reasons().isEmpty() ? null
                : e.reasons().stream().map(r -> new Problem.ReasonItem(r.code(), r.message())).toList();
        return respond(status, e.code(), e.title(), e.getMessage(), uri, errors, reasons);
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

    /** A JSON value of the wrong type or format (a word where a number belongs, a bad instant): names the field. */
    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e, UriInfo uri) {
        String field = jsonPath(e);
        String message = "must be " + expected(e.getTargetType());
        if (field.isEmpty()) {
            field = "body";
            message = "must be a JSON object";
        }
        return respond(400, "invalid-input", "Invalid input", field + ": " + message, uri,
                List.of(new Problem.FieldError(field, message)));
    }

    /** A body that is not JSON at all (the JSON reader wraps it in a 400 WebApplicationException). */
    private static Response unparsable(JsonProcessingException e, UriInfo uri) {
        String message = "is not valid JSON"
                + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        return respond(400, "invalid-input", "Invalid input", "body: " + message, uri,
                List.of(new Problem.FieldError("body", message)));
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
        // The JSON reader wraps what Jackson could not read: answer it like the unwrapped exception.
        if (status == 400 && e.getCause() instanceof MismatchedInputException m) {
            return mismatched(m, uri);
        }
        if (status == 400 && e.getCause() instanceof JsonProcessingException j) {
            return unparsable(j, uri);
        }
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
        return respond(status, code, title, detail, uri, errors, null);
    }

    private static Response respond(int status, String code, String title, String detail, UriInfo uri,
                                    List<Problem.FieldError> errors, List<Problem.ReasonItem> reasons) {
        Problem p = new Problem(TYPE_BASE + code, title, status, detail, uri == null ? null : uri.getPath(), errors,
                reasons);
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

    /** {@code terms.metrics[0]}: the request's field as the client wrote it. */
    private static String jsonPath(MismatchedInputException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                path.append('[').append(r.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    // In the client's words, never a Java class name.
    private static String expected(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (type == Instant.class) {
            return "an ISO-8601 instant such as 2026-06-30T00:00:00Z";
        }
        if (type == UUID.class) {
            return "a UUID";
        }
        if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
            return "a number";
        }
        if (type == String.class) {
            return "a string";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        return "a JSON object";
    }

    private static String slug(String title) {
        return title.toLowerCase().replace(' ', '-');
    }
}
