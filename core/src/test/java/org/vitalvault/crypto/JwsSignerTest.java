package org.vitalvault.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class JwsSignerTest {

    private final KeyPair keys = ed25519();

    @Test
    void whatItSignsTheVerifierAcceptsWithTheExpectedTyp() {
        byte[] payload = "{\"purpose\":\"sleep study\"}".getBytes(StandardCharsets.UTF_8);
        String jws = JwsSigner.sign(keys.getPrivate(), "vitalvault.lease-request", payload);

        assertArrayEquals(payload, JwsVerifier.verify(jws, rawPublicKey(keys), "vitalvault.lease-request"));
        assertEquals("vitalvault.lease-request", JwsVerifier.unverifiedHeader(jws).typ());
        assertThrows(JwsVerifier.InvalidJwsException.class,
                () -> JwsVerifier.verify(jws, rawPublicKey(keys), "vitalvault.lease-query"));
    }

    @Test
    void aKidGoesIntoTheHeaderWhenGiven() {
        String jws = JwsSigner.sign(keys.getPrivate(), "0123456789abcdef", "vitalvault.erasure-receipt", new byte[] {1});
        assertEquals("0123456789abcdef", JwsVerifier.unverifiedHeader(jws).kid());
        assertArrayEquals(new byte[] {1}, JwsVerifier.verify(jws, rawPublicKey(keys), "vitalvault.erasure-receipt"));
    }

    @Test
    void aTypOrKidThatWouldNeedEscapingIsRefusedRatherThanWrittenIntoTheHeader() {
        for (String bad : new String[] {"", "a\"b", "a\\b", "tab\t", "é"}) {
            assertThrows(IllegalArgumentException.class, () -> JwsSigner.sign(keys.getPrivate(), bad, new byte[] {1}), bad);
            assertThrows(IllegalArgumentException.class,
                    () -> JwsSigner.sign(keys.getPrivate(), bad, "t", new byte[] {1}), bad);
        }
    }

    private static KeyPair ed25519() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] rawPublicKey(KeyPair keys) {
        byte[] spki = keys.getPublic().getEncoded();
        return Arrays.copyOfRange(spki, spki.length - 32, spki.length);
    }
}
