package org.vitalvault.vault.query;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.vitalvault.crypto.JwsVerifier;
import org.vitalvault.vault.support.Cohorts;
import org.vitalvault.vault.support.ConsentFixtures;
import org.vitalvault.vault.support.Researchers;

/**
 * Every released answer is also signed by the vault (issue 13): the body keeps the answer's members
 * and adds {@code signed}, a JWS with the vault's key whose payload binds those same members to the
 * lease document and to the signed query as received.
 */
@QuarkusTest
class SignedAnswerTest {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ObjectMapper json;

    @Test
    void anAnswerCarriesTheVaultsSignatureOverItsOwnMembersBoundToTheLeaseDocumentAndTheQuery() throws Exception {
        Researchers.Org org = Researchers.approvedOrg();
        Cohorts.consenting(dataSource, 11, org.id(), ConsentFixtures.terms(), 2);
        JsonPath granted = org.requestLease(Researchers.leaseRequest(org.id())).statusCode(201).extract().jsonPath();
        UUID lease = UUID.fromString(granted.getString("lease.leaseId"));
        Map<String, Object> query = Researchers.dailyMeans(lease, 2, 0.5);
        String queryJws = org.sign("vitalvault.lease-query", query);

        String body = org.postJws("/researchers/" + org.id() + "/leases/" + lease + "/queries", queryJws).statusCode(200)
                .extract().asString();
        ObjectNode answer = (ObjectNode) json.readTree(body);
        String signed = answer.remove("signed").asText();
        JsonNode doc = json.readTree(JwsVerifier.verify(signed, ConsentFixtures.vaultPublicKey(), "vitalvault.query-answer"));

        assertEquals("vitalvault.query-answer", doc.get("type").asText());
        assertEquals(1, doc.get("version").asInt());
        assertEquals(vaultKid(), doc.get("issuer").get("kid").asText());
        assertEquals(vaultKid(), JwsVerifier.unverifiedHeader(signed).kid());
        assertEquals(sha256Hex(granted.getString("document")), doc.get("leaseDigest").asText());
        assertEquals(sha256Hex(queryJws), doc.get("queryDigest").asText());
        assertEquals(answer, doc.get("answer"), "the signed answer is the body without `signed`");
        assertEquals(lease.toString(), answer.get("leaseId").asText());
        assertEquals(query.get("queryId"), answer.get("queryId").asText());
        assertNotNull(answer.get("answeredAt"));
        assertEquals(2, answer.get("buckets").size());
        assertEquals(0.5, answer.get("budget").get("spent").asDouble());
    }

    @Test
    void theSignatureIsTheVaultsOwnAndOnlyForAnswers() throws Exception {
        Researchers.Org org = Researchers.approvedOrg();
        Cohorts.consenting(dataSource, 11, org.id(), ConsentFixtures.terms(), 1);
        UUID lease = org.lease(Researchers.leaseRequest(org.id()));
        String signed = org.query(lease, Researchers.dailyMeans(lease, 1, 0.3)).statusCode(200).extract().path("signed");
        assertThrows(JwsVerifier.InvalidJwsException.class,
                () -> JwsVerifier.verify(signed, Researchers.rawPublicKey(org.keys())));
        assertThrows(JwsVerifier.InvalidJwsException.class,
                () -> JwsVerifier.verify(signed, ConsentFixtures.vaultPublicKey(), "vitalvault.lease"));
    }

    @Test
    void theApiDocumentDescribesTheSignedMemberBesideTheAnswersOwn() {
        JsonPath doc = given().accept("application/json").get("/q/openapi").then().statusCode(200).extract().jsonPath();
        Map<String, Object> properties = doc.getMap("components.schemas.SignedQueryAnswer.properties");
        assertNotNull(properties, "SignedQueryAnswer is in the document");
        assertTrue(properties.keySet().containsAll(java.util.List.of("signed", "leaseId", "queryId", "buckets", "budget")),
                "the answer's members and `signed` side by side: " + properties.keySet());
    }

    private static String vaultKid() {
        return given().get("/vault/keys").then().statusCode(200).extract().path("keys[0].kid");
    }

    private static String sha256Hex(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.US_ASCII)));
    }
}
