package org.vitalvault.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Verifies documents the vault signs (erasure receipts now; lease documents and consent receipts
 * later): a JWS in compact serialization (RFC 7515 §7.1) signed with Ed25519, {@code "alg":"EdDSA"}
 * (RFC 8037), against a raw 32-byte Ed25519 public key — the {@code x} member of the vault's JWK
 * at {@code GET /vault/keys}, base64url-decoded.
 *
 * <p>Format accepted: {@code BASE64URL(header) "." BASE64URL(payload) "." BASE64URL(signature)},
 * unpadded canonical base64url, a 64-byte signature, and a protected header that is a flat JSON
 * object of string members with {@code "alg":"EdDSA"}, no duplicate member and no {@code crit}
 * or {@code b64} member (this verifier understands no extension, so it refuses rather than ignores
 * them). Anything else is rejected.
 *
 * <p>Guarantees: a payload is returned only if the signature over the exact signing input verifies
 * under the given key, so the payload and header are exactly what the key's holder signed.
 * {@code "alg"} comes from this class, never from the token ({@code none} and every other
 * algorithm are refused). Plain Java 17 (the JDK's Ed25519), thread-safe, no framework types.
 *
 * <p>Limits: the header values other than {@code alg} and {@code typ} are not interpreted —
 * choosing the key by {@code kid} is the caller's job ({@link #unverifiedHeader}), and the result
 * says nothing about freshness or revocation; replay is the payload's concern (ids, times). A
 * header holding non-string values (arrays, objects, numbers), valid JOSE though it is, is refused:
 * the vault never signs one. Error messages are fixed strings that hold no part of the input.
 */
public final class JwsVerifier {

    /** The only JWS algorithm accepted: Ed25519 (RFC 8037 §3.1). */
    public static final String ALG = "EdDSA";
    /** Length of a raw Ed25519 public key (RFC 8032 §5.1.5). */
    public static final int PUBLIC_KEY_LENGTH = 32;

    private static final int SIGNATURE_LENGTH = 64;
    // DER SubjectPublicKeyInfo prefix for an Ed25519 key (RFC 8410 §4): SEQUENCE { SEQUENCE { OID
    // 1.3.101.112 }, BIT STRING (0 unused bits) }, followed by the 32 raw key bytes.
    private static final byte[] ED25519_SPKI_PREFIX = {
        0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
    private static final Base64.Decoder B64URL = Base64.getUrlDecoder();
    private static final Base64.Encoder B64URL_ENCODER = Base64.getUrlEncoder().withoutPadding();

    private JwsVerifier() {
    }

    /** The protected header's members this verifier knows; any may be null except {@code alg}. */
    public record Header(String alg, String kid, String typ) {
    }

    /**
     * Thrown when a JWS is malformed, uses another algorithm, has the wrong {@code typ}, or its
     * signature does not verify. The message is a fixed description; it never quotes the input.
     */
    public static final class InvalidJwsException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InvalidJwsException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Verifies {@code jws} against a raw Ed25519 public key and returns its payload bytes.
     *
     * @throws InvalidJwsException if the JWS is malformed or the signature does not verify
     * @throws IllegalArgumentException if the public key is not 32 bytes
     */
    public static byte[] verify(String jws, byte[] publicKey) {
        return verifyInternal(jws, publicKey, null);
    }

    /**
     * Like {@link #verify(String, byte[])}, and also requires the header's {@code typ} to equal
     * {@code expectedTyp}, so that one kind of signed document cannot be passed off as another
     * (a lease document as an erasure receipt).
     *
     * @throws InvalidJwsException also if {@code typ} is missing or different
     */
    public static byte[] verify(String jws, byte[] publicKey, String expectedTyp) {
        Objects.requireNonNull(expectedTyp, "expectedTyp");
        return verifyInternal(jws, publicKey, expectedTyp);
    }

    /**
     * The protected header, parsed but NOT verified: only for choosing which key to verify with
     * (by {@code kid}). Never act on it before {@link #verify} succeeds.
     *
     * @throws InvalidJwsException if the JWS or its header is malformed
     */
    public static Header unverifiedHeader(String jws) {
        String[] parts = split(jws);
        Map<String, String> h = parseHeader(decode(parts[0]));
        return new Header(h.get("alg"), h.get("kid"), h.get("typ"));
    }

    private static byte[] verifyInternal(String jws, byte[] publicKey, String expectedTyp) {
        PublicKey key = publicKey(publicKey);
        String[] parts = split(jws);
        Map<String, String> header = parseHeader(decode(parts[0]));
        if (!ALG.equals(header.get("alg"))) {
            throw new InvalidJwsException("JWS alg must be EdDSA");
        }
        if (header.containsKey("crit") || header.containsKey("b64")) {
            throw new InvalidJwsException("JWS header uses an extension this verifier does not support");
        }
        if (expectedTyp != null && !expectedTyp.equals(header.get("typ"))) {
            throw new InvalidJwsException("JWS typ is not the expected document type");
        }
        byte[] payload = decode(parts[1]);
        byte[] signature = decode(parts[2]);
        if (signature.length != SIGNATURE_LENGTH) {
            throw new InvalidJwsException("JWS signature must be 64 bytes");
        }
        byte[] signingInput = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
        boolean valid;
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(signingInput);
            valid = verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            // e.g. a public key that is not a valid curve point, or an S out of range
            valid = false;
        }
        if (!valid) {
            throw new InvalidJwsException("JWS signature does not verify");
        }
        return payload;
    }

    private static PublicKey publicKey(byte[] raw) {
        Objects.requireNonNull(raw, "publicKey");
        if (raw.length != PUBLIC_KEY_LENGTH) {
            throw new IllegalArgumentException("Ed25519 public key must be 32 bytes");
        }
        byte[] spki = new byte[ED25519_SPKI_PREFIX.length + PUBLIC_KEY_LENGTH];
        System.arraycopy(ED25519_SPKI_PREFIX, 0, spki, 0, ED25519_SPKI_PREFIX.length);
        System.arraycopy(raw, 0, spki, ED25519_SPKI_PREFIX.length, PUBLIC_KEY_LENGTH);
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a usable Ed25519 public key");
        }
    }

    private static String[] split(String jws) {
        Objects.requireNonNull(jws, "jws");
        int first = jws.indexOf('.');
        int second = first < 0 ? -1 : jws.indexOf('.', first + 1);
        if (first < 0 || second < 0 || jws.indexOf('.', second + 1) >= 0) {
            throw new InvalidJwsException("JWS compact serialization must have exactly three parts");
        }
        return new String[] {jws.substring(0, first), jws.substring(first + 1, second), jws.substring(second + 1)};
    }

    // Strict: the URL alphabet only, no padding, and canonical (unused trailing bits zero), so one
    // JWS has exactly one spelling.
    private static byte[] decode(String part) {
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_';
            if (!ok) {
                throw new InvalidJwsException("JWS part is not unpadded base64url");
            }
        }
        byte[] bytes;
        try {
            bytes = B64URL.decode(part);
        } catch (IllegalArgumentException e) {
            throw new InvalidJwsException("JWS part is not unpadded base64url");
        }
        if (!B64URL_ENCODER.encodeToString(bytes).equals(part)) {
            throw new InvalidJwsException("JWS part is not canonical base64url");
        }
        return bytes;
    }

    private static Map<String, String> parseHeader(byte[] json) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(json)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidJwsException("JWS header is not UTF-8");
        }
        return new FlatJsonObject(text).parse();
    }

    /** A strict parser for a JSON object (RFC 8259) whose member values are all strings. */
    private static final class FlatJsonObject {
        private static final String MALFORMED = "JWS header must be a flat JSON object of strings";
        private final String s;
        private int i;

        FlatJsonObject(String s) {
            this.s = s;
        }

        Map<String, String> parse() {
            Map<String, String> members = new LinkedHashMap<>();
            ws();
            expect('{');
            ws();
            if (peek() == '}') {
                i++;
            } else {
                while (true) {
                    ws();
                    String name = string();
                    ws();
                    expect(':');
                    ws();
                    String value = string();
                    if (members.put(name, value) != null) {
                        throw new InvalidJwsException("JWS header has a duplicate member");
                    }
                    ws();
                    char c = next();
                    if (c == '}') {
                        break;
                    }
                    if (c != ',') {
                        throw new InvalidJwsException(MALFORMED);
                    }
                }
            }
            ws();
            if (i != s.length()) {
                throw new InvalidJwsException(MALFORMED);
            }
            return members;
        }

        private String string() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '"') {
                    return out.toString();
                }
                if (c < 0x20) {
                    throw new InvalidJwsException(MALFORMED);
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                char e = next();
                switch (e) {
                    case '"', '\\', '/' -> out.append(e);
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        int code = 0;
                        for (int k = 0; k < 4; k++) {
                            int digit = hexDigit(next());
                            if (digit < 0) {
                                throw new InvalidJwsException(MALFORMED);
                            }
                            code = code * 16 + digit;
                        }
                        out.append((char) code);
                    }
                    default -> throw new InvalidJwsException(MALFORMED);
                }
            }
        }

        // ASCII only: Character.digit would also accept other scripts' digits.
        private static int hexDigit(char c) {
            if (c >= '0' && c <= '9') {
                return c - '0';
            }
            if (c >= 'a' && c <= 'f') {
                return c - 'a' + 10;
            }
            if (c >= 'A' && c <= 'F') {
                return c - 'A' + 10;
            }
            return -1;
        }

        private void ws() {
            while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t' || s.charAt(i) == '\n'
                    || s.charAt(i) == '\r')) {
                i++;
            }
        }

        private char peek() {
            if (i >= s.length()) {
                throw new InvalidJwsException(MALFORMED);
            }
            return s.charAt(i);
        }

        private char next() {
            char c = peek();
            i++;
            return c;
        }

        private void expect(char c) {
            if (next() != c) {
                throw new InvalidJwsException(MALFORMED);
            }
        }
    }
}
