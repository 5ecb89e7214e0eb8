package org.vitalvault.vault.lease;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.vitalvault.crypto.JwsVerifier;
import org.vitalvault.vault.http.ProblemException;
import org.vitalvault.vault.researcher.Organisation;

/**
 * Opens what a researcher signed: a compact JWS (EdDSA, RFC 8037) whose {@code typ} names the kind
 * of document and whose payload is JSON. Verified with core's {@link JwsVerifier} against the
 * organisation's registered key only — a request signed by any other key is refused with 403, and
 * so is one whose {@code typ} is another kind's (a query cannot pass as a lease request).
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
     * @throws ProblemException 400 when the body is not a JWS or its payload not the expected JSON,
     *     403 when the signature does not verify under the organisation's key, 400 when stale
     */
    public <T extends Fresh> Opened<T> open(Organisation org, String body, String typ, Class<T> type) {
        String jws = body == null ? "" : body.strip();
        byte[] payload;
        try {
            payload = JwsVerifier.verify(jws, org.publicKey(), typ);
        } catch (JwsVerifier.InvalidJwsException e) {
            throw new ProblemException(403, "signature-invalid", "Signature refused",
                    e.getMessage() + "; sign the " + typ + " with the organisation's registered Ed25519 key (kid "
                            + org.kid() + ")");
        }
        T value;
        try {
            ObjectReader reader = json.readerFor(type).with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
            value = reader.readValue(payload);
        } catch (IOException e) {
            throw ProblemException.badField("payload", "must be the JSON of a " + typ + " ("
                    + e.getClass().getSimpleName().replace("Exception", "").toLowerCase() + ")");
        }
        if (value == null || value.issuedAt() == null) {
            throw ProblemException.badField("issuedAt", "must be given");
        }
        Instant now = clock.instant();
        if (value.issuedAt().isBefore(now.minus(MAX_AGE)) || value.issuedAt().isAfter(now.plus(MAX_SKEW))) {
            throw ProblemException.badField("issuedAt", "must be within " + MAX_AGE.toMinutes()
                    + " minutes before the vault's clock and " + MAX_SKEW.toMinutes() + " after it (now " + now + ")");
        }
        return new Opened<>(value, jws);
    }
}
