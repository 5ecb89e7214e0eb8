package org.vitalvault.researcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.vitalvault.crypto.JwsSigner;

/**
 * A vault as far as the offline checks see it: its key pair, its JWK Set as {@code GET /vault/keys}
 * serves it, and documents signed the way it signs them ({@code {"alg":"EdDSA","kid":…,"typ":…}}).
 * The signed query answer is this module's own fixture: the answer JSON with the compact JWS of the
 * same answer in a {@code signed} member.
 */
final class VaultFixtures {

    static final String KID = "2b9e18c17b09ebff";
    static final ObjectMapper JSON = new ObjectMapper();

    /** An answer as the vault shapes it (QueryAnswer), with one released and one suppressed bucket. */
    static final String ANSWER = """
            {"leaseId":"5b0c1c2e-8d7a-4d0e-9a51-0d3c2f7e1a10","queryId":"7d0e5b0c-1c2e-4d0e-9a51-0d3c2f7e1a10",
             "metric":"heart_rate","granularity":"DAY","epsilon":0.5,"answeredAt":"2026-12-02T05:00:00Z","minimumCohort":11,
             "buckets":[
               {"start":"2026-11-30T00:00:00Z","suppressed":false,
                "contributors":{"value":39.0,"noiseScale":2.83,"low95":33.5,"high95":44.5},
                "mean":{"value":71.25,"noiseScale":0.41,"low95":70.45,"high95":72.05},
                "quantiles":[{"probability":0.5,"value":{"value":70.0,"noiseScale":1.2,"low95":67.6,"high95":72.4}},
                             {"probability":0.975,"value":{"value":96.0,"noiseScale":1.5,"low95":93.0,"high95":99.0}}],
                "histogram":[{"low":60.0,"high":70.0,"count":{"value":12.0,"noiseScale":2.83,"low95":6.5,"high95":17.5}},
                             {"low":70.0,"high":80.0}]},
               {"start":"2026-12-01T00:00:00Z","suppressed":true}],
             "budget":{"total":1.0,"spent":0.5,"remaining":0.5}}
            """;

    final KeyFile key = KeyFile.generate();

    String sign(String typ, String payload) {
        return JwsSigner.sign(key.privateKey(), KID, typ, payload.getBytes(StandardCharsets.UTF_8));
    }

    /** The answer with its signature in {@code signed}. */
    String signedAnswer() throws Exception {
        ObjectNode answer = (ObjectNode) JSON.readTree(ANSWER);
        // As the vault signs it (decision 025): the answer inside a document that binds it to the lease and the query.
        ObjectNode doc = JSON.createObjectNode();
        doc.put("type", "vitalvault.query-answer");
        doc.put("version", 1);
        doc.putObject("issuer").put("name", "Vital Vault").put("kid", KID);
        doc.put("leaseDigest", "00".repeat(32));
        doc.put("queryDigest", "11".repeat(32));
        doc.set("answer", JSON.readTree(ANSWER));
        answer.put("signed", sign("vitalvault.query-answer", JSON.writeValueAsString(doc)));
        return JSON.writeValueAsString(answer);
    }

    Path jwks(Path dir) throws Exception {
        Path file = dir.resolve("vault-keys.json");
        Files.writeString(file, "{\"keys\":[{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" + key.publicJwk().get("x")
                + "\",\"kid\":\"" + KID + "\",\"use\":\"sig\",\"alg\":\"EdDSA\"}]}");
        return file;
    }
}
