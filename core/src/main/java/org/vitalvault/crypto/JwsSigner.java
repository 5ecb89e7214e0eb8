package org.vitalvault.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The signing side of {@link JwsVerifier}: a JWS in compact serialization with Ed25519 and the
 * protected header {@code {"alg":"EdDSA","typ":…}} — what a researcher organisation sends with a
 * lease request or a query. The vault itself never signs with it; the deploy tools, benchmarks and
 * tests act as an organisation through it. Plain Java 17, thread-safe.
 */
public final class JwsSigner {

    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    /** Written into the header without escaping, so only characters that need none. */
    private static final Pattern TYP = Pattern.compile("[A-Za-z0-9._+/-]{1,100}");

    private JwsSigner() {
    }

    /**
     * Signs {@code payload} (typically JSON) with an Ed25519 private key.
     *
     * @throws IllegalArgumentException if {@code typ} holds characters other than letters, digits
     *                                  and {@code . _ + / -}, or the key is not an Ed25519 key
     */
    public static String sign(PrivateKey ed25519, String typ, byte[] payload) {
        if (!TYP.matcher(typ).matches()) {
            throw new IllegalArgumentException("typ must be 1-100 of [A-Za-z0-9._+/-]");
        }
        String header = "{\"alg\":\"" + JwsVerifier.ALG + "\",\"typ\":\"" + typ + "\"}";
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
