package org.vitalvault.vault.lease;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.vitalvault.crypto.JwsSigner;
import org.vitalvault.vault.support.Cohorts;
import org.vitalvault.vault.support.ConsentFixtures;
import org.vitalvault.vault.support.Researchers;

/**
 * Signed JSON names each member once (issue 13). A parser that keeps the last of two equal names
 * reads {@code {"epsilon":0.01,"epsilon":5}} as ε 5 while another tool, or a person reading the
 * signed request in an audit, may see 0.01: what was signed would not be one thing. So the vault
 * refuses such a payload (400, naming the member) and such a protected header (403, like any other
 * signature it does not accept) — in lease requests and queries alike, before anything is decided,
 * read or charged.
 */
@QuarkusTest
class SignedJsonDuplicatesTest {

    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aLeaseRequestGivingEpsilonTwiceIsA400NamingEpsilon() throws Exception {
        Researchers.Org org = Researchers.approvedOrg();
        Map<String, Object> request = Researchers.leaseRequest(org.id());
        request.put("epsilon", 0.01);
        String twice = JSON.writeValueAsString(request).replace("\"epsilon\":0.01", "\"epsilon\":0.01,\"epsilon\":5");
        org.postJws("/researchers/" + org.id() + "/leases", sign(org, "vitalvault.lease-request", twice)).statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("https://vitalvault.org/problems/invalid-input"))
                .body("errors[0].field", equalTo("epsilon"))
                .body("errors[0].message", equalTo("is given twice in the signed vitalvault.lease-request; name each member once"))
                .body("detail", not(containsString("Duplicate field")));
    }

    @Test
    void aQueryGivingANestedMemberTwiceIsA400NamingItsPathAndLeavesTheQueryIdUnused() throws Exception {
        Researchers.Org org = Researchers.approvedOrg();
        Cohorts.consenting(dataSource, 11, org.id(), ConsentFixtures.terms(), 1);
        UUID lease = org.lease(Researchers.leaseRequest(org.id()));
        Map<String, Object> query = Researchers.dailyMeans(lease, 1, 0.3);
        String json = JSON.writeValueAsString(query);
        String from = JSON.writeValueAsString(((Map<?, ?>) query.get("dataWindow")).get("from"));
        String twice = json.replace("\"from\":" + from, "\"from\":" + from + ",\"from\":\"2000-01-01T00:00:00Z\"");
        String path = "/researchers/" + org.id() + "/leases/" + lease + "/queries";
        org.postJws(path, sign(org, "vitalvault.lease-query", twice)).statusCode(400)
                .body("type", equalTo("https://vitalvault.org/problems/invalid-input"))
                .body("errors[0].field", equalTo("dataWindow.from"));
        org.query(lease, query).statusCode(200);
    }

    @Test
    void aMemberNameSpelledWithAnEscapeIsTheSameNameAndCountsAsTwice() throws Exception {
        Researchers.Org org = Researchers.approvedOrg();
        Map<String, Object> request = Researchers.leaseRequest(org.id());
        request.put("epsilon", 0.01);
        String twice = JSON.writeValueAsString(request).replace("\"epsilon\":0.01", "\"epsilon\":0.01,\"\\u0065psilon\":5");
        org.postJws("/researchers/" + org.id() + "/leases", sign(org, "vitalvault.lease-request", twice)).statusCode(400)
                .body("errors[0].field", equalTo("epsilon"));
    }

    @Test
    void aProtectedHeaderGivingTypTwiceIsRefusedAsASignatureNamingTheDuplicate() throws Exception {
        Researchers.Org org = Researchers.approvedOrg();
        String header = "{\"alg\":\"EdDSA\",\"typ\":\"vitalvault.lease-query\",\"typ\":\"vitalvault.lease-request\"}";
        String payload = JSON.writeValueAsString(Researchers.leaseRequest(org.id()));
        org.postJws("/researchers/" + org.id() + "/leases", signWithHeader(org.keys().getPrivate(), header, payload))
                .statusCode(403)
                .body("type", equalTo("https://vitalvault.org/problems/signature-invalid"))
                .body("detail", containsString("duplicate member"));
    }

    private static String sign(Researchers.Org org, String typ, String payload) {
        return JwsSigner.sign(org.keys().getPrivate(), typ, payload.getBytes(StandardCharsets.UTF_8));
    }

    /** A JWS with a header of our own making, which {@link JwsSigner} would never write. */
    private static String signWithHeader(PrivateKey key, String header, String payload) throws Exception {
        String input = B64URL.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + B64URL.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(key);
        s.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + B64URL.encodeToString(s.sign());
    }
}
