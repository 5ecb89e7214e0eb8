package org.vitalvault.researcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Leases and answers verify offline against the vault's key, as their own kind only, and not one byte changed. */
class VerificationTest {

    private static final String LEASE = "{\"type\":\"vitalvault.lease\",\"version\":3,\"leaseId\":\"5b0c1c2e-8d7a-4d0e-9a51-0d3c2f7e1a10\","
            + "\"organisation\":{\"name\":\"Univ. X\"},\"terms\":{\"epsilon\":1.0},\"expiresAt\":\"2099-01-01T00:00:00Z\"}";

    @TempDir
    Path dir;

    private final VaultFixtures vault = new VaultFixtures();

    @Test
    void aLeaseVerifiesAsTheCompactJwsAndAsTheLeaseAnswerHoldingIt() throws Exception {
        String jws = vault.sign("vitalvault.lease", LEASE);
        String keys = vault.jwks(dir).toString();
        assertEquals("5b0c1c2e-8d7a-4d0e-9a51-0d3c2f7e1a10", Verification.lease(jws, keys).payload().get("leaseId").asText());
        String answer = "{\"lease\":" + LEASE + ",\"document\":\"" + jws + "\"}";
        assertEquals(3, Verification.lease(answer, keys).payload().get("version").asInt());
    }

    @Test
    void aLeaseChangedAnywhereOrSignedByAnotherKeyIsInvalid() throws Exception {
        String jws = vault.sign("vitalvault.lease", LEASE);
        String keys = vault.jwks(dir).toString();
        for (int i = 0; i < jws.length(); i++) {
            if (jws.charAt(i) == '.') {
                continue;
            }
            char[] changed = jws.toCharArray();
            changed[i] = changed[i] == 'A' ? 'B' : 'A';
            String tampered = new String(changed);
            assertThrows(Exception.class, () -> Verification.lease(tampered, keys), "changed at " + i);
        }
        assertThrows(Verification.Invalid.class, () -> Verification.lease(new VaultFixtures().sign("vitalvault.lease", LEASE), keys));
    }

    @Test
    void anotherKindOfVaultDocumentPassesNeitherForALeaseNorForAnAnswer() throws Exception {
        String keys = vault.jwks(dir).toString();
        assertThrows(Verification.Invalid.class, () -> Verification.lease(vault.sign("vitalvault.erasure-receipt", LEASE), keys));
        assertThrows(Verification.Invalid.class, () -> Verification.answer(vault.sign("vitalvault.lease", VaultFixtures.ANSWER), keys));
    }

    @Test
    void theKeyMayBeTheBase64urlXAndTheDocumentsKidPicksAmongSeveralKeys() throws Exception {
        String jws = vault.sign("vitalvault.lease", LEASE);
        Verification.lease(jws, vault.key.publicJwk().get("x"));
        Path two = dir.resolve("two-keys.json");
        Files.writeString(two, "{\"keys\":[{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" + KeyFile.generate().publicJwk().get("x")
                + "\",\"kid\":\"0000000000000000\"},{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" + vault.key.publicJwk().get("x")
                + "\",\"kid\":\"" + VaultFixtures.KID + "\"}]}");
        Verification.lease(jws, two.toString());
    }

    @Test
    void aLeaseAnswersTheRequestWhoseSha256ItNamesAndNoOther() throws Exception {
        String request = "eyJhbGciOiJFZERTQSJ9.e30.c2ln";
        String lease = LEASE.replace("\"version\":3,", "\"version\":3,\"requestDigest\":\"" + Verification.requestDigest(request) + "\",");
        String jws = vault.sign("vitalvault.lease", lease);
        String keys = vault.jwks(dir).toString();
        assertEquals(List.of("requestDigest"), Verification.lease(jws, keys, request + "\n").checked());
        Verification.Invalid e = assertThrows(Verification.Invalid.class, () -> Verification.lease(jws, keys, request + "x"));
        assertTrue(e.getMessage().contains("requestDigest"));
    }

    @Test
    void aSignedAnswerVerifiesAndItsUnsignedMembersAreCheckedAgainstTheSignedOnes() throws Exception {
        Verification.Verified v = Verification.answer(vault.signedAnswer(), vault.jwks(dir).toString());
        assertEquals("7d0e5b0c-1c2e-4d0e-9a51-0d3c2f7e1a10", v.payload().get("queryId").asText());
        assertTrue(v.checked().containsAll(List.of("leaseId", "queryId", "buckets", "budget")), v.checked().toString());
    }

    @Test
    void anAnswerWhoseReleasedNumbersWereChangedOutsideTheSignatureIsInvalid() throws Exception {
        ObjectNode answer = (ObjectNode) VaultFixtures.JSON.readTree(vault.signedAnswer());
        ((ObjectNode) answer.get("buckets").get(0).get("mean")).put("value", 80.0);
        Verification.Invalid e = assertThrows(Verification.Invalid.class,
                () -> Verification.answer(VaultFixtures.JSON.writeValueAsString(answer), vault.jwks(dir).toString()));
        assertTrue(e.getMessage().contains("buckets"));
    }

    @Test
    void theSameNumberWrittenDifferentlyIsStillTheSame() throws Exception {
        String answer = vault.signedAnswer().replace("\"epsilon\":0.5", "\"epsilon\":5E-1");
        Verification.answer(answer, vault.jwks(dir).toString());
    }

    @Test
    void anAnswerWithoutASignatureIsInvalid() throws Exception {
        Verification.Invalid e = assertThrows(Verification.Invalid.class,
                () -> Verification.answer(VaultFixtures.ANSWER, vault.jwks(dir).toString()));
        assertTrue(e.getMessage().contains("signed"));
    }
}
