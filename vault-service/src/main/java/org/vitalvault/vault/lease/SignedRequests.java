package org.vitalvault.vault.lease;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.vitalvault.crypto.JwsVerifier;
import org.vitalvault.vault.auth.Organisation;
import org.vitalvault.vault.refusal.InvalidInput;
import org.vitalvault.vault.refusal.NotPermitted;

/**
 * Opens what a researcher signed: a compact JWS (EdDSA, RFC 8037) whose {@code typ} names the kind
 * of document and whose payload is JSON. Verified with core's {@link JwsVerifier} against the
 * organisation's registered key only — a request signed by any other key is refused with 403, and
 * so is one whose {@code typ} is another kind's (a query cannot pass as a lease request).
 *
 * <p>One reading only: a payload that names a member twice in one object is refused (400, naming
 * it), as is a protected header that does ({@link JwsVerifier}, 403) — never the last value taken.
 *
 * <p>Freshness: the payload's {@code issuedAt} must lie within {@link #MAX_AGE} before now and
 * {@link #MAX_SKEW} after it; replay inside that window is refused by the request's own id, which
 * the caller stores uniquely.
 */
@ApplicationScoped
public class SignedRequests {

    /** JWS {@code typ} of a lease request. */
    public static final String LEASE_REQUEST_TYP = "vitalvault.lease-request";
    /** JWS {@code typ} of a query inside a lease. */
    public static final String QUERY_TYP = "vitalvault.lease-query";
    /** How old a signed request may be. */
    public static final Duration MAX_AGE = Duration.ofMinutes(5);
    /** How far ahead of the vault's clock a signer's clock may be. */
    public static final Duration MAX_SKEW = Duration.ofMinutes(1);

    @Inject
    ObjectMapper json;

    @Inject
    Clock clock;

    /** A signed payload: what was signed, and the JWS as it came (kept for the audit). */
    public record Opened<T>(T payload, String jws) {
    }

    /** Something every signed payload carries. */
    public interface Fresh {
        Instant issuedAt();
    }

    /**
     * @throws InvalidInput when the payload is not the expected JSON, names a member twice, or is stale
     * @throws NotPermitted when the body is not a JWS that verifies under the organisation's key
     */
    public <T extends Fresh> Opened<T> open(Organisation org, String body, String typ, Class<T> type) {
        String jws = body == null ? "" : body.strip();
        byte[] payload;
        try {
            payload = JwsVerifier.verify(jws, org.publicKey(), typ);
        } catch (JwsVerifier.InvalidJwsException e) {
            throw new NotPermitted("signature-invalid", "Signature refused",
                    e.getMessage() + "; sign the " + typ + " with the organisation's registered Ed25519 key (kid "
                            + org.kid() + ")");
        }
        DuplicateMembers.first(json.getFactory(), payload).ifPresent(member -> {
            throw InvalidInput.field(member, "is given twice in the signed " + typ + "; name each member once");
        });
        T value;
        try {
            ObjectReader reader = json.readerFor(type).with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            value = reader.readValue(payload);
        } catch (IOException e) {
            // Jackson's message and class name stay here: they would tell a client about our internals.
            throw unreadable(e, typ);
        }
        if (value == null || value.issuedAt() == null) {
            throw InvalidInput.field("issuedAt", "must be given");
        }
        Instant now = clock.instant();
        if (value.issuedAt().isBefore(now.minus(MAX_AGE)) || value.issuedAt().isAfter(now.plus(MAX_SKEW))) {
            throw InvalidInput.field("issuedAt", "must be within " + MAX_AGE.toMinutes()
                    + " minutes before the vault's clock and " + MAX_SKEW.toMinutes() + " after it (now " + now + ")");
        }
        return new Opened<>(value, jws);
    }

    /** What was wrong with a payload, in the client's words: the field as they wrote it, never Jackson's text. */
    private static InvalidInput unreadable(IOException e, String typ) {
        if (e instanceof UnrecognizedPropertyException u) {
            return InvalidInput.field(path(u, u.getPropertyName()), "is not a field of a " + typ);
        }
        if (e instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
            return InvalidInput.field(path(m, null), "has the wrong type or format for a " + typ);
        }
        return InvalidInput.field("payload", "must be the JSON of a " + typ);
    }

    private static String path(JsonMappingException e, String last) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                path.append('[').append(r.getIndex()).append(']');
            }
        }
        return path.isEmpty() && last != null ? last : path.toString();
    }
}
