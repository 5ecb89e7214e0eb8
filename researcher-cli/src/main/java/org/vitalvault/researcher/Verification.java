package org.vitalvault.researcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.vitalvault.crypto.JwsVerifier;

/**
 * Offline checks of what the vault signed, against its public key saved from {@code GET /vault/keys}
 * (the JWK Set file, one JWK, or the key's base64url {@code x}): no network. Signatures are checked by
 * core's {@link JwsVerifier} with the expected {@code typ}, so one kind of vault document cannot
 * pass for another (an erasure receipt for a lease, a lease for an answer).
 *
 * <ul>
 *   <li>a <b>lease</b> ({@value #LEASE_TYP}): the compact JWS, or the JSON the vault answered a lease
 *       request with (or {@code GET …/leases/{id}}), whose {@code document} member holds it;</li>
 *   <li>a <b>query answer</b> ({@value #ANSWER_TYP}): the compact JWS, or the answer JSON whose
 *       {@code signed} member holds it. Every other top-level member of that JSON that the signed
 *       payload also has must equal it (numbers by value), so the numbers a CSV is made from are the
 *       numbers the vault signed.</li>
 * </ul>
 */
public final class Verification {

    /** The JWS {@code typ} of a lease document. */
    public static final String LEASE_TYP = "vitalvault.lease";
    /** The JWS {@code typ} of a signed query answer. */
    public static final String ANSWER_TYP = "vitalvault.query-answer";

    private static final ObjectMapper JSON = new ObjectMapper();

    private Verification() {
    }

    /** A check that failed: the document is not what the vault signed, or not the kind expected. */
    public static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * What verified.
     *
     * @param payload the signed JSON
     * @param checked the unsigned members found equal to the signed ones (answers only; the payload is then the signed answer)
     */
    public record Verified(JsonNode payload, List<String> checked) {
    }

    /** Verifies a lease document given as described above. */
    public static Verified lease(String input, String vaultKeys) throws Invalid, IOException {
        return lease(input, vaultKeys, null);
    }

    /**
     * Verifies a lease document and, when {@code request} (the signed lease request as sent) is
     * given, that the document's {@code requestDigest} is its SHA-256: the lease answers that request.
     */
    public static Verified lease(String input, String vaultKeys, String request) throws Invalid, IOException {
        String jws = input.strip();
        if (jws.startsWith("{")) {
            JsonNode answer = parse(jws, "lease");
            JsonNode doc = answer.path("document");
            if (!doc.isTextual()) {
                throw new IllegalArgumentException("the JSON has no \"document\" member: give the lease answer"
                        + " (lease request --out) or the compact JWS");
            }
            jws = doc.asText();
        }
        JsonNode doc = readJson(verify(jws, vaultKeys, LEASE_TYP));
        if (request != null && !requestDigest(request).equals(doc.path("requestDigest").asText())) {
            throw new Invalid("the lease does not answer this request (its requestDigest is another request's SHA-256)");
        }
        return new Verified(doc, request == null ? List.of() : List.of("requestDigest"));
    }

    /** How the vault names a signed request in the lease it answers: SHA-256, hex, of the JWS as sent. */
    public static String requestDigest(String jws) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(jws.strip().getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Verifies a query answer given as described above. */
    public static Verified answer(String input, String vaultKeys) throws Invalid, IOException {
        String text = input.strip();
        JsonNode outer = null;
        String jws = text;
        if (text.startsWith("{")) {
            outer = parse(text, "answer");
            JsonNode signed = outer.path("signed");
            if (!signed.isTextual()) {
                throw new Invalid("the answer has no \"signed\" member: it was not signed by the vault"
                        + " (a vault without signed answers, or a member removed)");
            }
            jws = signed.asText();
        }
        JsonNode payload = readJson(verify(jws, vaultKeys, ANSWER_TYP));
        // The vault signs {type, version, issuer, leaseDigest, queryDigest, answer} (decision 025): the
        // released values are the "answer" member, and the unsigned body must be exactly that answer.
        JsonNode signedAnswer = payload.path("answer");
        if (!ANSWER_TYP.equals(payload.path("type").asText()) || !signedAnswer.isObject()) {
            throw new Invalid("the signed payload is not a query answer document (type " + ANSWER_TYP + " with an answer)");
        }
        List<String> checked = new ArrayList<>();
        if (outer != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = outer.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> member = it.next();
                if (member.getKey().equals("signed")) {
                    continue;
                }
                if (!signedAnswer.has(member.getKey())) {
                    throw new Invalid("the answer's \"" + member.getKey() + "\" is not in what the vault signed");
                }
                if (!member.getValue().equals(NUMBERS_BY_VALUE, signedAnswer.get(member.getKey()))) {
                    throw new Invalid("the answer's \"" + member.getKey() + "\" differs from what the vault signed");
                }
                checked.add(member.getKey());
            }
            for (Iterator<String> it = signedAnswer.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (!outer.has(name)) {
                    throw new Invalid("the answer lacks \"" + name + "\", which the vault signed");
                }
            }
        }
        return new Verified(signedAnswer, checked);
    }

    /** The raw Ed25519 key to check {@code jws} with: from a JWK Set or JWK file (by the JWS's kid), or a base64url x. */
    static byte[] vaultKey(String keys, String jws) throws IOException, Invalid {
        Path file = Path.of(keys);
        String x;
        if (Files.isRegularFile(file)) {
            JsonNode json = parse(Files.readString(file), "vault key");
            JsonNode set = json.has("keys") ? json.get("keys") : JSON.createArrayNode().add(json);
            if (!set.isArray() || set.isEmpty()) {
                throw new IllegalArgumentException(keys + " holds no key (save GET /vault/keys: `vault-keys > FILE`)");
            }
            String kid = header(jws).kid();
            JsonNode chosen = set.size() == 1 ? set.get(0) : null;
            for (JsonNode k : set) {
                if (kid != null && kid.equals(k.path("kid").asText())) {
                    chosen = k;
                }
            }
            if (chosen == null) {
                throw new Invalid("no key in " + keys + " has the document's kid " + kid);
            }
            if (!"OKP".equals(chosen.path("kty").asText()) || !"Ed25519".equals(chosen.path("crv").asText())) {
                throw new IllegalArgumentException("the vault key in " + keys + " is not an Ed25519 JWK");
            }
            x = chosen.path("x").asText();
        } else if (keys.matches("[A-Za-z0-9_-]{43}")) {
            x = keys;
        } else {
            throw new java.nio.file.NoSuchFileException(keys);
        }
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(x);
        } catch (IllegalArgumentException e) {
            raw = new byte[0];
        }
        if (raw.length != JwsVerifier.PUBLIC_KEY_LENGTH) {
            throw new IllegalArgumentException("the vault key must be a raw 32-byte Ed25519 key, base64url");
        }
        return raw;
    }

    private static byte[] verify(String jws, String keys, String typ) throws Invalid, IOException {
        byte[] key = vaultKey(keys, jws);
        try {
            return JwsVerifier.verify(jws, key, typ);
        } catch (JwsVerifier.InvalidJwsException e) {
            throw new Invalid(e.getMessage() + (e.getMessage().contains("typ") ? " (" + typ + ")" : ""));
        }
    }

    private static JwsVerifier.Header header(String jws) throws Invalid {
        try {
            return JwsVerifier.unverifiedHeader(jws);
        } catch (JwsVerifier.InvalidJwsException e) {
            throw new Invalid(e.getMessage());
        }
    }

    private static JsonNode readJson(byte[] payload) throws Invalid {
        try {
            return JSON.readTree(payload);
        } catch (IOException e) {
            throw new Invalid("the signature verifies, but the signed payload is not JSON");
        }
    }

    private static JsonNode parse(String text, String what) {
        try {
            JsonNode n = JSON.readTree(text);
            if (n == null || !n.isObject()) {
                throw new IllegalArgumentException("the " + what + " is not a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw new IllegalArgumentException("the " + what + " is neither a compact JWS nor JSON");
        }
    }

    /** Numbers equal when their values are (72 and 72.0); everything else by Jackson's equality. */
    private static final Comparator<JsonNode> NUMBERS_BY_VALUE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return new BigDecimal(a.asText()).compareTo(new BigDecimal(b.asText()));
        }
        return a.equals(b) ? 0 : 1;
    };
}
