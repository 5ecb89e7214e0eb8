package org.vitalvault.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The signing side of {@link JwsVerifier}: a JWS in compact serialization (RFC 7515) with Ed25519
 * and the protected header {@code {"alg":"EdDSA","kid":…,"typ":…}} (RFC 8037; {@code kid} only when
 * given). The vault signs its own documents with it (its signing key), researcher organisations
 * their lease requests and queries (the deploy tools, benchmarks and tests acting as one).
 * Plain Java 17, thread-safe.
 */
public final class JwsSigner {

    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    /** kid and typ are written into the header without escaping, so only characters that need none. */
    private static final Pattern TYP = Pattern.compile("[A-Za-z0-9.+/-]{1,64}");
    private static final Pattern KID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private JwsSigner() {
    }

    /** As {@link #sign(PrivateKey, String, String, byte[])} without a {@code kid}. */
    public static String sign(PrivateKey ed25519, String typ, byte[] payload) {
        return sign(ed25519, null, typ, payload);
    }

    /**
     * Signs {@code payload} (typically JSON) with an Ed25519 private key.
     *
     * @param kid the key id for the header, or null for none; letters, digits and {@code . _ -}
     * @param typ the document type, e.g. {@code vitalvault.lease-request}; letters, digits and
     *     {@code . + / -}, at most 64 characters
     * @throws IllegalArgumentException if {@code typ} or {@code kid} has other characters, or the
     *     key is not an Ed25519 key
     */
    public static String sign(PrivateKey ed25519, String kid, String typ, byte[] payload) {
        Objects.requireNonNull(payload, "payload");
        if (typ == null || !TYP.matcher(typ).matches()) {
            throw new IllegalArgumentException("typ must be 1 to 64 of letters, digits and . + / -");
        }
        if (kid != null && !KID.matcher(kid).matches()) {
            throw new IllegalArgumentException("kid must be 1 to 64 of letters, digits and . _ -");
        }
        String header = "{\"alg\":\"" + JwsVerifier.ALG + "\"" + (kid == null ? "" : ",\"kid\":\"" + kid + "\"")
                + ",\"typ\":\"" + typ + "\"}";
        String input = B64URL.encodeToString(header.getBytes(StandardCharsets.US_ASCII)) + "."
                + B64URL.encodeToString(payload);
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(ed25519);
            s.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + B64URL.encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 private key: " + e.getClass().getSimpleName());
        }
    }
}
