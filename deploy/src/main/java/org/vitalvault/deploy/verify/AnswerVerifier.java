package org.vitalvault.deploy.verify;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;
import org.vitalvault.crypto.JwsVerifier;

/**
 * Checks a query answer offline (issue 13): the JSON body the vault answered a query with, whose
 * {@code signed} member is a compact JWS by the vault's key ({@code typ} {@value #ANSWER_TYP}). No
 * network, no vault: the key comes from the JWK Set saved from {@code GET /vault/keys} (or its
 * {@code x} value), as for {@link LeaseVerifier}.
 *
 * <pre>
 *   deploy/verify-answer.sh answer.json vault-keys.json [query.jws [lease.jws]]
 * </pre>
 *
 * Valid means: the signature verifies under the vault's key with the answer's {@code typ}; every
 * member of the body other than {@code signed} equals what the vault signed (numbers compared by
 * value, so a body re-indented or re-written by a JSON tool still verifies) and none is missing or
 * added; no object in the body names a member twice (two tools could read two different answers);
 * and, when given, the signed query is the one answered ({@code queryDigest}, SHA-256 of the
 * compact JWS) and the lease document is the one it was answered under ({@code leaseDigest}).
 *
 * <p>Exit status: 0 valid (a summary is printed); 1 invalid (the first reason is printed); 2 on a
 * usage or input error (a file missing or not JSON).
 */
public final class AnswerVerifier {

    /** The JWS {@code typ} the vault signs query answers with. */
    public static final String ANSWER_TYP = "vitalvault.query-answer";
    /** The {@code type} and {@code version} of the signed document this tool reads. */
    static final String TYPE = "vitalvault.query-answer";
    static final int VERSION = 1;

    private static final ObjectMapper LENIENT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    /** JSON values as a reader sees them: 1, 1.0 and 1e0 are one number. */
    private static final Comparator<JsonNode> SAME_VALUE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };

    private AnswerVerifier() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Thrown for an answer that is not valid; the message says why. */
    private static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    /** {@link #main} without exiting, for tests. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length < 2 || args.length > 4 || args[0].equals("--help") || args[0].equals("-h")) {
            err.println("usage: verify-answer.sh ANSWER_JSON VAULT_KEY [QUERY_JWS [LEASE_JWS]]");
            err.println("  ANSWER_JSON  the body the vault answered the query with (with its \"signed\" member)");
            err.println("  VAULT_KEY    the JWK Set file saved from GET /vault/keys, or the key's base64url x value");
            err.println("  QUERY_JWS    optional: the signed query as posted; checked against the answer's queryDigest");
            err.println("  LEASE_JWS    optional: the lease document (the lease answer's \"document\"); checked against leaseDigest");
            return 2;
        }
        String text;
        String query;
        String lease;
        try {
            text = Files.readString(Path.of(args[0]), StandardCharsets.UTF_8);
            query = args.length > 2 ? Files.readString(Path.of(args[2]), StandardCharsets.US_ASCII).strip() : null;
            lease = args.length > 3 ? Files.readString(Path.of(args[3]), StandardCharsets.US_ASCII).strip() : null;
        } catch (IOException e) {
            err.println("cannot read the input: " + e.getMessage());
            return 2;
        }
        JsonNode body;
        try {
            body = LENIENT.readTree(text);
        } catch (IOException e) {
            err.println("cannot read the input: " + args[0] + " is not JSON");
            return 2;
        }
        try {
            String summary = verify(text, body, args[1], query, lease);
            out.println(summary);
            return 0;
        } catch (Invalid e) {
            out.println("INVALID: " + e.getMessage());
            return 1;
        } catch (JwsVerifier.InvalidJwsException e) {
            out.println("INVALID: " + e.getMessage());
            return 1;
        } catch (IOException | IllegalArgumentException e) {
            err.println("cannot read the input: " + e.getMessage());
            return 2;
        }
    }

    private static String verify(String text, JsonNode body, String keyArg, String query, String lease)
            throws Invalid, IOException {
        if (!(body instanceof ObjectNode answer) || !answer.path("signed").isTextual()) {
            throw new Invalid("no \"signed\" member: not a signed query answer");
        }
        if (namesAMemberTwice(text)) {
            throw new Invalid("the answer names a member twice in one object, so it does not say one thing");
        }
        String jws = answer.get("signed").asText().strip();
        byte[] key = LeaseVerifier.publicKey(keyArg, jws);
        byte[] payload = JwsVerifier.verify(jws, key, ANSWER_TYP);
        JsonNode doc;
        try {
            doc = STRICT.readTree(payload);
        } catch (IOException e) {
            throw new Invalid("the signature verifies, but its payload is not a query answer document this tool reads");
        }
        if (!TYPE.equals(doc.path("type").asText()) || doc.path("version").asInt() != VERSION
                || !doc.path("answer").isObject()) {
            throw new Invalid("the signature verifies, but its payload is not a version " + VERSION + " " + TYPE + " document");
        }
        ObjectNode unsigned = answer.deepCopy();
        unsigned.remove("signed");
        JsonNode signedAnswer = doc.get("answer");
        if (!unsigned.equals(SAME_VALUE, signedAnswer)) {
            throw new Invalid("the answer's members differ from what the vault signed: " + differing(unsigned, signedAnswer));
        }
        List<String> lines = new ArrayList<>();
        JsonNode buckets = signedAnswer.path("buckets");
        int suppressed = 0;
        for (JsonNode b : buckets) {
            suppressed += b.path("suppressed").asBoolean() ? 1 : 0;
        }
        lines.add("VALID answer to query " + signedAnswer.path("queryId").asText() + " in lease "
                + signedAnswer.path("leaseId").asText() + ", answered " + signedAnswer.path("answeredAt").asText()
                + " by the vault's key " + JwsVerifier.unverifiedHeader(jws).kid() + ": " + signedAnswer.path("metric").asText()
                + " by " + signedAnswer.path("granularity").asText() + ", ε " + signedAnswer.path("epsilon").asText()
                + ", " + buckets.size() + (buckets.size() == 1 ? " bucket" : " buckets") + " (" + suppressed + " suppressed)");
        lines.add(digestLine("query", "queryDigest", doc, query, "give the signed query as the third argument"));
        lines.add(digestLine("lease document", "leaseDigest", doc, lease, "give the lease document as the fourth argument"));
        return String.join(System.lineSeparator(), lines);
    }

    private static String digestLine(String what, String member, JsonNode doc, String given, String hint) throws Invalid {
        String signed = doc.path(member).asText();
        if (given == null) {
            return what + ": not checked (" + hint + "); " + member + " " + signed;
        }
        if (!sha256Hex(given).equals(signed)) {
            throw new Invalid("the " + what + " given is not the one this answer is bound to (" + member + " differs)");
        }
        return what + ": the one given (" + member + " " + signed + ")";
    }

    /** Lenient and strict parsing differ only on a member named twice in one object. */
    private static boolean namesAMemberTwice(String text) {
        try {
            STRICT.readTree(text);
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /** The top-level members whose values differ, are missing or were added: for the message. */
    private static String differing(JsonNode a, JsonNode b) {
        TreeSet<String> names = new TreeSet<>();
        for (JsonNode side : List.of(a, b)) {
            for (Iterator<String> it = side.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                JsonNode x = a.get(name);
                JsonNode y = b.get(name);
                if (x == null || y == null || !x.equals(SAME_VALUE, y)) {
                    names.add(name);
                }
            }
        }
        return String.join(", ", names);
    }

    static String sha256Hex(String compactJws) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(compactJws.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }
}
