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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The offline answer verifier accepts a query answer whose members are exactly what the vault's key
 * signed, bound to the query and lease given, and nothing else.
 */
class AnswerVerifierTest {

    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final String QUERY_ID = "0b6f2d9e-3c41-4f0a-8d2b-6a7c5e4f3a21";
    private static final String LEASE_ID = "5b0c1c2e-8d7a-4d0e-9a51-0d3c2f7e1a10";
    /** A query answer as the vault's QueryAnswer writes it. */
    private static final String ANSWER = "{\"leaseId\":\"" + LEASE_ID + "\",\"queryId\":\"" + QUERY_ID + "\","
            + "\"metric\":\"heart_rate\",\"granularity\":\"DAY\",\"epsilon\":0.5,\"answeredAt\":\"2026-12-02T05:00:00.123456Z\","
            + "\"minimumCohort\":11,\"buckets\":[{\"start\":\"2026-12-01T00:00:00Z\",\"suppressed\":false,"
            + "\"contributors\":{\"value\":12.0,\"noiseScale\":2.83,\"low95\":5.6,\"high95\":18.4},"
            + "\"mean\":{\"value\":71.25,\"noiseScale\":1.9,\"low95\":67.1,\"high95\":75.4}},"
            + "{\"start\":\"2026-12-02T00:00:00Z\",\"suppressed\":true}],"
            + "\"budget\":{\"total\":1.0,\"spent\":0.5,\"remaining\":0.5}}";
    private static final String QUERY_JWS = "eyJhbGciOiJFZERTQSIsInR5cCI6InZpdGFsdmF1bHQubGVhc2UtcXVlcnkifQ.eyJxdWVyeUlkIjoiMCJ9.c2ln";
    private static final String LEASE_JWS = "eyJhbGciOiJFZERTQSIsInR5cCI6InZpdGFsdmF1bHQubGVhc2UifQ.eyJsZWFzZUlkIjoiMCJ9.c2ln";

    @TempDir
    Path dir;

    private final KeyPair vault = generate();

    @Test
    void anAnswerSignedByTheVaultVerifiesAndSaysWhatItAnswers() throws Exception {
        Result r = run(answer(sign(vault, "vitalvault.query-answer", document(ANSWER))), jwks(vault));
        assertEquals(0, r.status, r.out);
        assertTrue(r.out.startsWith("VALID answer to query " + QUERY_ID + " in lease " + LEASE_ID + ", answered"), r.out);
        assertTrue(r.out.contains("2 buckets (1 suppressed)"), r.out);
        assertTrue(r.out.contains("query: not checked"), r.out);
    }

    @Test
    void givenTheSignedQueryAndLeaseDocumentBothDigestsAreChecked() throws Exception {
        Result r = run(answer(sign(vault, "vitalvault.query-answer", document(ANSWER))), jwks(vault), QUERY_JWS, LEASE_JWS + "\n");
        assertEquals(0, r.status, r.out);
        assertTrue(r.out.contains("query: the one given"), r.out);
        assertTrue(r.out.contains("lease document: the one given"), r.out);
    }

    @Test
    void aQueryOtherThanTheOneAnsweredFails() throws Exception {
        Result r = run(answer(sign(vault, "vitalvault.query-answer", document(ANSWER))), jwks(vault), QUERY_JWS + "x");
        assertEquals(1, r.status, r.out);
        assertTrue(r.out.startsWith("INVALID: the query given is not the one this answer is bound to"), r.out);
    }

    @Test
    void aLeaseDocumentOtherThanTheOneAnsweredUnderFails() throws Exception {
        Result r = run(answer(sign(vault, "vitalvault.query-answer", document(ANSWER))), jwks(vault), QUERY_JWS, QUERY_JWS);
        assertEquals(1, r.status, r.out);
        assertTrue(r.out.contains("leaseDigest differs"), r.out);
    }

    @Test
    void oneChangedByteInTheSignedAnswerFailsWhereverTheByteIs() throws Exception {
        String jws = sign(vault, "vitalvault.query-answer", document(ANSWER));
        Path keys = jwks(vault);
        for (int i = 0; i < jws.length(); i++) {
            if (jws.charAt(i) == '.') {
                continue;
            }
            char[] changed = jws.toCharArray();
            changed[i] = changed[i] == 'A' ? 'B' : 'A';
            assertTrue(run(answer(new String(changed)), keys).status != 0, "an answer changed at character " + i + " verified");
        }
    }

    @Test
    void aReleasedValueChangedBesideTheSignatureFailsNamingTheMember() throws Exception {
        String jws = sign(vault, "vitalvault.query-answer", document(ANSWER));
        Result r = run(answer(ANSWER.replace("71.25", "81.25"), jws), jwks(vault));
        assertEquals(1, r.status, r.out);
        assertEquals("INVALID: the answer's members differ from what the vault signed: buckets", r.out.strip());
    }

    @Test
    void aMemberAddedOrRemovedBesideTheSignatureFails() throws Exception {
        String jws = sign(vault, "vitalvault.query-answer", document(ANSWER));
        assertEquals(1, run(answer(ANSWER.replace("{\"leaseId\"", "{\"note\":\"trust me\",\"leaseId\""), jws), jwks(vault)).status);
        assertEquals(1, run(answer(ANSWER.replace(",\"minimumCohort\":11", ""), jws), jwks(vault)).status);
    }

    @Test
    void anAnswerNamingAMemberTwiceFails() throws Exception {
        String jws = sign(vault, "vitalvault.query-answer", document(ANSWER));
        Result r = run(answer(ANSWER.replace("\"epsilon\":0.5,", "\"epsilon\":0.5,\"epsilon\":0.5,"), jws), jwks(vault));
        assertEquals(1, r.status, r.out);
        assertTrue(r.out.contains("names a member twice"), r.out);
    }

    @Test
    void anAnswerReformattedByAJsonToolStillVerifies() throws Exception {
        String jws = sign(vault, "vitalvault.query-answer", document(ANSWER));
        String reformatted = ANSWER.replace(",", ",\n  ").replace("\"total\":1.0", "\"total\":1").replace("12.0", "1.2e1");
        assertEquals(0, run(answer(reformatted, jws), jwks(vault)).status);
    }

    @Test
    void anAnswerSignedByAnotherKeyFails() throws Exception {
        assertEquals(1, run(answer(sign(generate(), "vitalvault.query-answer", document(ANSWER))), jwks(vault)).status);
    }

    @Test
    void anotherKindOfVaultDocumentDoesNotPassForAnAnswer() throws Exception {
        Result r = run(answer(sign(vault, "vitalvault.lease", document(ANSWER))), jwks(vault));
        assertEquals(1, r.status, r.out);
        assertTrue(r.out.contains("typ"), r.out);
    }

    @Test
    void aSignedPayloadOfAnotherTypeOrVersionFails() throws Exception {
        String other = document(ANSWER).replace("\"version\":1", "\"version\":2");
        assertEquals(1, run(answer(sign(vault, "vitalvault.query-answer", other)), jwks(vault)).status);
    }

    @Test
    void anAnswerWithoutSignatureFailsAndUnreadableInputIsAUsageError() throws Exception {
        Path keys = jwks(vault);
        Path unsigned = dir.resolve("unsigned.json");
        Files.writeString(unsigned, ANSWER);
        assertEquals(1, run(unsigned, keys).status);
        Path notJson = dir.resolve("not.json");
        Files.writeString(notJson, "{\"signed\":");
        assertEquals(2, run(notJson, keys).status);
        assertEquals(2, run(dir.resolve("missing.json"), keys).status);
        assertEquals(2, AnswerVerifier.run(new String[] {unsigned.toString()}, quiet(), quiet()));
    }

    @Test
    void theKeyMayBeGivenAsItsBase64urlXValue() throws Exception {
        Path file = answer(sign(vault, "vitalvault.query-answer", document(ANSWER)));
        assertEquals(0, AnswerVerifier.run(new String[] {file.toString(), B64URL.encodeToString(raw(vault))}, quiet(), quiet()));
    }

    private record Result(int status, String out) {
    }

    private Result run(Path answer, Path keys, String... jwsFiles) throws Exception {
        List<String> args = new ArrayList<>(List.of(answer.toString(), keys.toString()));
        for (int i = 0; i < jwsFiles.length; i++) {
            Path file = dir.resolve("arg" + i + ".jws");
            Files.writeString(file, jwsFiles[i]);
            args.add(file.toString());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = AnswerVerifier.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8), quiet());
        return new Result(status, out.toString(StandardCharsets.UTF_8));
    }

    /** The signed payload as the vault writes it: the answer bound to the lease document and the query. */
    private static String document(String answer) {
        return "{\"type\":\"vitalvault.query-answer\",\"version\":1,\"issuer\":{\"name\":\"Vital Vault\",\"kid\":\"0123456789abcdef\"},"
                + "\"leaseDigest\":\"" + AnswerVerifier.sha256Hex(LEASE_JWS) + "\",\"queryDigest\":\""
                + AnswerVerifier.sha256Hex(QUERY_JWS) + "\",\"answer\":" + answer + "}";
    }

    /** The response body: the answer's members and {@code signed}. */
    private Path answer(String answer, String jws) throws Exception {
        Path file = dir.resolve("answer.json");
        Files.writeString(file, answer.substring(0, answer.lastIndexOf('}')) + ",\"signed\":\"" + jws + "\"}");
        return file;
    }

    private Path answer(String jws) throws Exception {
        return answer(ANSWER, jws);
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

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream());
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
