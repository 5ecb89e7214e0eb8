package org.vitalvault.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class JwsVerifierTest {

    // RFC 8037 Appendix A.1 (public key) and A.4 (the JWS of "Example of Ed25519 signing").
    private static final byte[] RFC_PUBLIC_KEY = b64url("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo");
    private static final String RFC_JWS = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc."
            + "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";

    private final KeyPair pair = ed25519();
    private final byte[] publicKey = raw(pair);

    @Test
    void rfc8037ExampleVerifiesAndYieldsItsPayload() {
        byte[] payload = JwsVerifier.verify(RFC_JWS, RFC_PUBLIC_KEY);
        assertEquals("Example of Ed25519 signing", new String(payload, StandardCharsets.UTF_8));
    }

    @Test
    void aJwsSignedByTheJdkVerifiesWithItsRawPublicKey() throws Exception {
        byte[] payload = "{\"type\":\"vitalvault.erasure\"}".getBytes(StandardCharsets.UTF_8);
        String jws = sign("{\"alg\":\"EdDSA\",\"kid\":\"0123456789abcdef\",\"typ\":\"t\"}", payload);
        assertArrayEquals(payload, JwsVerifier.verify(jws, publicKey));
        assertArrayEquals(payload, JwsVerifier.verify(jws, publicKey, "t"));
        assertEquals(new JwsVerifier.Header("EdDSA", "0123456789abcdef", "t"), JwsVerifier.unverifiedHeader(jws));
    }

    @Test
    void anotherKeyDoesNotVerify() {
        assertThrows(JwsVerifier.InvalidJwsException.class, () -> JwsVerifier.verify(RFC_JWS, publicKey));
    }

    @Test
    void aChangedPayloadDoesNotVerify() {
        String[] p = RFC_JWS.split("\\.");
        String forged = p[0] + "." + enc("Example of Ed25519 signinG".getBytes(StandardCharsets.UTF_8)) + "." + p[2];
        assertThrows(JwsVerifier.InvalidJwsException.class, () -> JwsVerifier.verify(forged, RFC_PUBLIC_KEY));
    }

    @Test
    void aFlippedSignatureBitDoesNotVerify() {
        String[] p = RFC_JWS.split("\\.");
        byte[] sig = b64url(p[2]);
        sig[10] ^= 1;
        String forged = p[0] + "." + p[1] + "." + enc(sig);
        assertThrows(JwsVerifier.InvalidJwsException.class, () -> JwsVerifier.verify(forged, RFC_PUBLIC_KEY));
    }

    @Test
    void algNoneAndOtherAlgorithmsAreRefusedEvenWithAValidSignature() throws Exception {
        byte[] payload = "{}".getBytes(StandardCharsets.UTF_8);
        for (String header : new String[] {"{\"alg\":\"none\"}", "{\"alg\":\"HS256\"}", "{\"alg\":\"eddsa\"}", "{}"}) {
            String jws = sign(header, payload);
            assertThrows(JwsVerifier.InvalidJwsException.class, () -> JwsVerifier.verify(jws, publicKey), header);
        }
        String unsigned = enc("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "." + enc(payload) + ".";
        assertThrows(JwsVerifier.InvalidJwsException.class, () -> JwsVerifier.verify(unsigned, publicKey));
    }

    @Test
    void theWrongTypIsRefused() throws Exception {
        String jws = sign("{\"alg\":\"EdDSA\",\"typ\":\"vitalvault.lease\"}", new byte[] {1});
        assertThrows(JwsVerifier.InvalidJwsException.class,
                () -> JwsVerifier.verify(jws, publicKey, "vitalvault.erasure-receipt"));
        String noTyp = sign("{\"alg\":\"EdDSA\"}", new byte[] {1});
        assertThrows(JwsVerifier.InvalidJwsException.class,
                () -> JwsVerifier.verify(noTyp, publicKey, "vitalvault.erasure-receipt"));
    }

    @Test
    void criticalExtensionsAndUnencodedPayloadsAreRefused() throws Exception {
        for (String header : new String[] {"{\"alg\":\"EdDSA\",\"crit\":\"exp\"}", "{\"alg\":\"EdDSA\",\"b64\":\"x\"}"}) {
            String jws = sign(header, new byte[] {1});
            assertThrows(JwsVerifier.InvalidJwsException.class, () -> JwsVerifier.verify(jws, publicKey), header);
        }
    }

    @Test
    void malformedHeadersAreRefused() throws Exception {
        String[] headers = {
            "{\"alg\":\"EdDSA\",\"alg\":\"EdDSA\"}", // duplicate member
            "{\"alg\":\"EdDSA\",\"crit\":[\"b64\"]}", // non-string value
            "{\"alg\":\"EdDSA\"", "[\"EdDSA\"]", "{\"alg\":\"EdDSA\"} x", "{\"alg\":\"Ed\\u00+4SA\"}", "not json"};
        for (String header : headers) {
            String jws = sign(header, new byte[] {1});
            assertThrows(JwsVerifier.InvalidJwsException.class, () -> JwsVerifier.verify(jws, publicKey), header);
        }
    }

    @Test
    void aHeaderNamingAMemberTwiceIsRefusedWhicheverValueWouldWinAndHoweverTheNameIsSpelled() throws Exception {
        // A parser keeping the last typ would read the first JWS as a lease request; one keeping the
        // first, as a query. Neither is taken: the header does not say one thing (issue 13).
        String[] headers = {
            "{\"alg\":\"EdDSA\",\"typ\":\"vitalvault.lease-query\",\"typ\":\"vitalvault.lease-request\"}",
            "{\"alg\":\"EdDSA\",\"typ\":\"vitalvault.lease-query\",\"t\\u0079p\":\"vitalvault.lease-request\"}",
            "{\"alg\":\"EdDSA\",\"kid\":\"a\",\"kid\":\"b\"}"};
        for (String header : headers) {
            String jws = sign(header, new byte[] {1});
            for (String typ : new String[] {"vitalvault.lease-query", "vitalvault.lease-request"}) {
                JwsVerifier.InvalidJwsException e = assertThrows(JwsVerifier.InvalidJwsException.class,
                        () -> JwsVerifier.verify(jws, publicKey, typ), header);
                assertEquals("JWS header has a duplicate member", e.getMessage());
            }
            assertThrows(JwsVerifier.InvalidJwsException.class, () -> JwsVerifier.unverifiedHeader(jws), header);
        }
    }

    @Test
    void escapedHeaderStringsAreDecoded() throws Exception {
        String jws = sign("{ \"alg\" : \"Ed\\u0044SA\", \"typ\":\"a\\/b\" }", new byte[] {7});
        assertArrayEquals(new byte[] {7}, JwsVerifier.verify(jws, publicKey, "a/b"));
    }

    @Test
    void paddedNonCanonicalOrExtraPartsAreRefused() {
        String[] p = RFC_JWS.split("\\.");
        String[] bad = {
            RFC_JWS + "=", RFC_JWS + ".", p[0] + "." + p[1], p[0] + "=." + p[1] + "." + p[2],
            p[0] + "." + p[1] + "." + p[2].substring(0, p[2].length() - 1) + "h", // non-zero unused bits
            p[0] + "." + p[1] + "." + p[2].replace('_', '/'), p[0] + " ." + p[1] + "." + p[2], "", ".."};
        for (String jws : bad) {
            assertThrows(JwsVerifier.InvalidJwsException.class, () -> JwsVerifier.verify(jws, RFC_PUBLIC_KEY), jws);
        }
    }

    @Test
    void aSignatureOfTheWrongLengthIsRefused() {
        String[] p = RFC_JWS.split("\\.");
        String truncated = p[0] + "." + p[1] + "." + enc(Arrays.copyOf(b64url(p[2]), 63));
        assertThrows(JwsVerifier.InvalidJwsException.class, () -> JwsVerifier.verify(truncated, RFC_PUBLIC_KEY));
    }

    @Test
    void aPublicKeyOfTheWrongLengthIsAnArgumentError() {
        assertThrows(IllegalArgumentException.class, () -> JwsVerifier.verify(RFC_JWS, new byte[31]));
    }

    @Test
    void errorMessagesDoNotQuoteTheInput() {
        String jws = RFC_JWS.replace("eyJhbGciOiJFZERTQSJ9", enc("{\"alg\":\"secret-value\"}".getBytes()));
        JwsVerifier.InvalidJwsException e = assertThrows(JwsVerifier.InvalidJwsException.class,
                () -> JwsVerifier.verify(jws, RFC_PUBLIC_KEY));
        assertEquals(false, e.getMessage().contains("secret-value"));
    }

    private String sign(String header, byte[] payload) throws Exception {
        String input = enc(header.getBytes(StandardCharsets.UTF_8)) + "." + enc(payload);
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(pair.getPrivate());
        s.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + enc(s.sign());
    }

    private static KeyPair ed25519() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // The last 32 bytes of the X.509 SubjectPublicKeyInfo are the raw key (RFC 8410).
    private static byte[] raw(KeyPair pair) {
        byte[] spki = pair.getPublic().getEncoded();
        return Arrays.copyOfRange(spki, spki.length - 32, spki.length);
    }

    private static String enc(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static byte[] b64url(String s) {
        return Base64.getUrlDecoder().decode(s);
    }
}
