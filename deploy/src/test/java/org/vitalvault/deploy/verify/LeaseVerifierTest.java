package org.vitalvault.deploy.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The offline lease verifier accepts a lease document the vault's key signed, and nothing else. */
class LeaseVerifierTest {

    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final String DOC = "{\"type\":\"vitalvault.lease\",\"version\":1,\"leaseId\":\"5b0c1c2e-8d7a-4d0e-9a51-0d3c2f7e1a10\","
            + "\"organisation\":{\"name\":\"Univ. X\"},\"terms\":{\"epsilon\":1.0},\"cohortSize\":40,"
            + "\"price\":{\"euroCents\":16000,\"currency\":\"EUR\"},\"expiresAt\":\"2099-01-01T00:00:00Z\"}";

    @TempDir
    Path dir;

    private final KeyPair vault = generate();

    @Test
    void aLeaseDocumentSignedByTheVaultVerifies() throws Exception {
        String jws = sign(vault, "vitalvault.lease", DOC);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, run(jws, jwks(vault), out));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("VALID lease 5b0c1c2e-8d7a-4d0e-9a51-0d3c2f7e1a10"));
    }

    @Test
    void aLeaseDocumentWithOneChangedByteFailsWhereverTheByteIs() throws Exception {
        String jws = sign(vault, "vitalvault.lease", DOC);
        Path keys = jwks(vault);
        for (int i = 0; i < jws.length(); i++) {
            if (jws.charAt(i) == '.') {
                continue;
            }
            char[] changed = jws.toCharArray();
            changed[i] = changed[i] == 'A' ? 'B' : 'A';
            int status = run(new String(changed), keys, new ByteArrayOutputStream());
            assertTrue(status != 0, "a document changed at character " + i + " verified");
        }
    }

    @Test
    void aLeaseDocumentSignedByAnotherKeyFails() throws Exception {
        assertEquals(1, run(sign(generate(), "vitalvault.lease", DOC), jwks(vault), new ByteArrayOutputStream()));
    }

    @Test
    void anotherKindOfVaultDocumentDoesNotPassForALease() throws Exception {
        assertEquals(1, run(sign(vault, "vitalvault.erasure-receipt", DOC), jwks(vault), new ByteArrayOutputStream()));
    }

    @Test
    void theKeyMayBeGivenAsItsBase64urlXValue() throws Exception {
        String jws = sign(vault, "vitalvault.lease", DOC);
        Path file = dir.resolve("lease.jws");
        Files.writeString(file, jws);
        assertEquals(0, LeaseVerifier.run(new String[] {file.toString(), B64URL.encodeToString(raw(vault))},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream())));
    }

    private int run(String jws, Path keys, ByteArrayOutputStream out) throws Exception {
        Path file = dir.resolve("lease.jws");
        Files.writeString(file, jws);
        return LeaseVerifier.run(new String[] {file.toString(), keys.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream()));
    }

    private Path jwks(KeyPair keys) throws Exception {
        Path file = dir.resolve("vault-keys.json");
        Files.writeString(file, "{\"keys\":[{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" + B64URL.encodeToString(raw(keys))
                + "\",\"kid\":\"0123456789abcdef\",\"use\":\"sig\",\"alg\":\"EdDSA\"}]}");
        return file;
    }

    /** As the vault signs: {@code {"alg":"EdDSA","kid":…,"typ":…}} over the JSON payload. */
    private static String sign(KeyPair keys, String typ, String payload) throws Exception {
        String header = "{\"alg\":\"EdDSA\",\"kid\":\"0123456789abcdef\",\"typ\":\"" + typ + "\"}";
        String input = B64URL.encodeToString(header.getBytes(StandardCharsets.US_ASCII)) + "."
                + B64URL.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(keys.getPrivate());
        s.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + B64URL.encodeToString(s.sign());
    }

    private static byte[] raw(KeyPair keys) {
        byte[] spki = keys.getPublic().getEncoded();
        return Arrays.copyOfRange(spki, spki.length - 32, spki.length);
    }

    private static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
