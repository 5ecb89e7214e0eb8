package org.vitalvault.researcher;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.vitalvault.crypto.JwsSigner;

/**
 * What an organisation signs: the payloads of a lease request, a query and a key rotation, as the vault
 * reads them ({@code LeaseRequestPayload}, {@code QueryPayload}, {@code KeyRotationPayload} in
 * vault-service; unknown fields are refused
 * there, so only theirs are written), signed as a compact JWS with core's {@link JwsSigner}
 * ({@code {"alg":"EdDSA","typ":…}}). Ids are random and {@code issuedAt} is the signing time: the
 * vault refuses a request older than five minutes and a replayed id.
 */
public final class SignedRequests {

    /** JWS {@code typ} of a lease request. */
    public static final String LEASE_REQUEST_TYP = "vitalvault.lease-request";
    /** JWS {@code typ} of a query inside a lease. */
    public static final String QUERY_TYP = "vitalvault.lease-query";
    /** JWS {@code typ} of a key rotation, signed with the key it retires (decision 026). */
    public static final String KEY_ROTATION_TYP = "vitalvault.key-rotation";

    private static final ObjectMapper JSON = new ObjectMapper();

    private SignedRequests() {
    }

    /** A time window, half-open. */
    public record Window(Instant from, Instant until) {
        Map<String, String> json() {
            Map<String, String> w = new LinkedHashMap<>();
            w.put("from", from.toString());
            w.put("until", until.toString());
            return w;
        }
    }

    /**
     * What a lease asks for. Empty cohort lists mean "any".
     *
     * @param coop the co-op the request is addressed to, or null
     */
    public record LeaseTerms(String purpose, List<String> metrics, List<String> kinds, String granularity, Window dataWindow,
                             Window validity, double epsilon, UUID coop, List<String> ageBands, List<String> sexes,
                             List<String> regions) {
    }

    /** What one query asks for. */
    public record Query(UUID leaseId, String metric, List<String> kinds, List<Double> quantiles, String granularity,
                        Window dataWindow, double epsilon) {
    }

    /** The payload of a lease request with a fresh random {@code requestId}. */
    public static Map<String, Object> leaseRequest(UUID organisation, Instant issuedAt, LeaseTerms t) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("requestId", UUID.randomUUID().toString());
        p.put("organisation", organisation.toString());
        p.put("issuedAt", issuedAt.toString());
        p.put("purpose", t.purpose());
        p.put("metrics", t.metrics());
        p.put("kinds", t.kinds());
        p.put("granularity", t.granularity());
        p.put("dataWindow", t.dataWindow().json());
        p.put("validity", t.validity().json());
        p.put("epsilon", t.epsilon());
        if (t.coop() != null) {
            p.put("coop", t.coop().toString());
        }
        putIfAny(p, "ageBands", t.ageBands());
        putIfAny(p, "sexes", t.sexes());
        putIfAny(p, "regions", t.regions());
        return p;
    }

    /** The payload of a query with a fresh random {@code queryId}. */
    public static Map<String, Object> query(Instant issuedAt, Query q) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("queryId", UUID.randomUUID().toString());
        p.put("leaseId", q.leaseId().toString());
        p.put("issuedAt", issuedAt.toString());
        p.put("metric", q.metric());
        p.put("kinds", q.kinds());
        if (q.quantiles() != null && !q.quantiles().isEmpty()) {
            p.put("quantiles", q.quantiles());
        }
        p.put("granularity", q.granularity());
        p.put("dataWindow", q.dataWindow().json());
        p.put("epsilon", q.epsilon());
        return p;
    }

    /**
     * The payload of a key rotation: the organisation makes {@code newKey} its current key. Signed with
     * the current key, so only its holder can rotate; it carries no id of its own (a replay is
     * harmless: once applied, its signer is retired, and a key cannot become current twice).
     */
    public static Map<String, Object> keyRotation(UUID organisation, Instant issuedAt, KeyFile newKey) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("organisation", organisation.toString());
        p.put("issuedAt", issuedAt.toString());
        p.put("publicKey", newKey.publicJwk());
        return p;
    }

    /** The payload as JSON, signed with the organisation's key. */
    public static String sign(KeyFile key, String typ, Map<String, Object> payload) {
        try {
            return JwsSigner.sign(key.privateKey(), typ, JSON.writeValueAsBytes(payload));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a payload of strings, numbers, lists and maps always serialises", e);
        }
    }

    private static void putIfAny(Map<String, Object> p, String name, List<String> values) {
        if (values != null && !values.isEmpty()) {
            p.put(name, values);
        }
    }
}
