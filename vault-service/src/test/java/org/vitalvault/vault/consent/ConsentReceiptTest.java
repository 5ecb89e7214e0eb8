package org.vitalvault.vault.consent;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vitalvault.vault.support.ConsentFixtures.coop;
import static org.vitalvault.vault.support.ConsentFixtures.grantTo;
import static org.vitalvault.vault.support.ConsentFixtures.join;
import static org.vitalvault.vault.support.ConsentFixtures.leave;
import static org.vitalvault.vault.support.ConsentFixtures.newOwner;
import static org.vitalvault.vault.support.ConsentFixtures.postGrant;
import static org.vitalvault.vault.support.ConsentFixtures.revoke;
import static org.vitalvault.vault.support.ConsentFixtures.terms;
import static org.vitalvault.vault.support.ConsentFixtures.vaultPublicKey;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vitalvault.crypto.JwsVerifier;
import org.vitalvault.vault.support.Researchers;
import org.vitalvault.vault.support.ConsentFixtures.TestOwner;

/**
 * Consent receipts: every change answers one, signed by the vault like the erasure receipt, and
 * every change is in the owner's append-only consent trail.
 */
@QuarkusTest
class ConsentReceiptTest {

    @Inject
    AgroalDataSource dataSource;

    private UUID researcher;

    @BeforeEach
    void anOrganisation() {
        researcher = Researchers.registeredOrg().id();
    }

    @Test
    void everyGrantChangeAnswersAReceiptThatTheVaultsPublishedKeyVerifies() {
        TestOwner alice = newOwner();
        JsonPath created = postGrant(alice, grantTo(researcher, terms())).statusCode(201).extract().jsonPath();
        String grant = created.getString("grant.id");
        Map<String, Object> amended = terms();
        amended.put("epsilonPerYear", 2.5);
        JsonPath amendment = given().auth().oauth2(alice.token()).contentType(ContentType.JSON).body(Map.of("terms", amended))
                .put("/owners/" + alice.id() + "/grants/" + grant).then().statusCode(200).extract().jsonPath();
        JsonPath revocation = revoke(alice, UUID.fromString(grant)).statusCode(200).extract().jsonPath();

        byte[] publicKey = vaultPublicKey();
        for (JsonPath change : List.of(created, amendment, revocation)) {
            byte[] payload = JwsVerifier.verify(change.getString("jws"), publicKey, ConsentReceipt.JWS_TYPE);
            assertEquals(change.getMap("receipt"), JsonPath.from(new String(payload, StandardCharsets.UTF_8)).getMap(""),
                    "the signed payload is exactly the receipt in the response");
        }
        assertEquals(List.of("grant.created", "grant.amended", "grant.revoked"),
                List.of(created.getString("receipt.action"), amendment.getString("receipt.action"),
                        revocation.getString("receipt.action")));
        assertEquals(List.of(1, 2, 2), List.of(created.getInt("receipt.consent.version"),
                amendment.getInt("receipt.consent.version"), revocation.getInt("receipt.consent.version")));
        assertEquals(2.5f, amendment.getFloat("receipt.limits.epsilonPerYear"));
    }

    @Test
    void aReceiptNamesTheVaultAsControllerTheOwnerAsPrincipalAndWhatWasConsentedTo() {
        TestOwner alice = newOwner();
        Map<String, Object> t = terms();
        JsonPath r = postGrant(alice, grantTo(researcher, t)).statusCode(201).extract().jsonPath().setRootPath("receipt");
        String jwks = given().get("/vault/keys").then().statusCode(200).extract().asString();

        assertEquals("vitalvault.consent-receipt", r.getString("type"));
        assertEquals("Vital Vault", r.getString("controller.name"));
        assertEquals(JsonPath.from(jwks).getString("keys[0].kid"), r.getString("controller.vaultKid"));
        assertEquals(alice.id().toString(), r.getString("principal.ownerId"));
        assertEquals(researcher.toString(), r.getString("consent.audience.researcher"));
        assertEquals(List.of(Map.of("code", "HRESCH", "system", ConsentReceipt.PURPOSE_SYSTEM, "display", "healthcare research")),
                r.getList("purposes"));
        assertEquals(List.of("heart_rate"), r.getList("data.metrics"));
        assertEquals(List.of("COUNT", "MEAN"), r.getList("data.kinds"));
        assertEquals("DAY", r.getString("data.granularity"));
        assertEquals(Instant.parse((String) ((Map<?, ?>) t.get("dataWindow")).get("from")),
                Instant.parse(r.getString("data.dataWindow.from")));
        assertEquals(Instant.parse((String) ((Map<?, ?>) t.get("validity")).get("until")), Instant.parse(r.getString("period.until")));
        assertEquals(11, r.getInt("limits.minimumCohort"));
        UUID.fromString(r.getString("receiptId"));
        assertFalse(Instant.parse(r.getString("timestamp")).isAfter(Instant.now()));
    }

    @Test
    void anyJoseLibraryVerifiesAReceiptFromTheJwkSetAlone() throws Exception {
        TestOwner alice = newOwner();
        String jws = postGrant(alice, grantTo(researcher, terms())).statusCode(201).extract().path("jws");
        String jwks = given().get("/vault/keys").then().statusCode(200).extract().asString();
        String kid = JwsVerifier.unverifiedHeader(jws).kid();
        JsonWebSignature jose = new JsonWebSignature();
        jose.setAlgorithmConstraints(new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, "EdDSA"));
        jose.setCompactSerialization(jws);
        jose.setKey(((PublicJsonWebKey) new JsonWebKeySet(jwks).findJsonWebKey(kid, "OKP", "sig", "EdDSA")).getPublicKey());
        assertTrue(jose.verifySignature());
        assertEquals(ConsentReceipt.JWS_TYPE, jose.getHeader("typ"));
    }

    @Test
    void aReceiptWithOneChangedByteNoLongerVerifies() {
        TestOwner alice = newOwner();
        String jws = postGrant(alice, grantTo(researcher, terms())).statusCode(201).extract().path("jws");
        byte[] publicKey = vaultPublicKey();
        JwsVerifier.verify(jws, publicKey, ConsentReceipt.JWS_TYPE);

        String[] parts = jws.split("\\.");
        byte[] payload = Base64.getUrlDecoder().decode(parts[1]);
        String text = new String(payload, StandardCharsets.UTF_8);
        int at = text.indexOf("\"minimumCohort\":11") + "\"minimumCohort\":".length();
        payload[at] = '9';  // "minimumCohort":91 — one byte changed
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload) + "." + parts[2];
        assertNotEquals(jws, forged);
        assertThrows(JwsVerifier.InvalidJwsException.class, () -> JwsVerifier.verify(forged, publicKey, ConsentReceipt.JWS_TYPE));
    }

    @Test
    void theRevocationReceiptSaysWhenConsentWasWithdrawn() {
        TestOwner alice = newOwner();
        String grant = postGrant(alice, grantTo(researcher, terms())).statusCode(201).extract().path("grant.id");
        JsonPath revocation = revoke(alice, UUID.fromString(grant)).statusCode(200).extract().jsonPath();
        assertEquals(revocation.getString("grant.revokedAt"), revocation.getString("receipt.period.revokedAt"));
        assertEquals(revocation.getString("receipt.timestamp"), revocation.getString("receipt.period.revokedAt"));
    }

    @Test
    void theConsentTrailListsEveryChangeInOrderWithWhoAndWhen() {
        TestOwner alice = newOwner();
        List<JsonPath> changes = new ArrayList<>();
        JsonPath created = postGrant(alice, grantTo(researcher, terms())).statusCode(201).extract().jsonPath();
        changes.add(created);
        String grant = created.getString("grant.id");
        changes.add(given().auth().oauth2(alice.token()).contentType(ContentType.JSON).body(Map.of("terms", terms()))
                .put("/owners/" + alice.id() + "/grants/" + grant).then().statusCode(200).extract().jsonPath());
        UUID coop = coop(newOwner(), terms());
        changes.add(join(alice, coop, Map.of()).statusCode(201).extract().jsonPath());
        changes.add(leave(alice, coop).statusCode(200).extract().jsonPath());
        changes.add(revoke(alice, UUID.fromString(grant)).statusCode(200).extract().jsonPath());

        JsonPath trail = given().auth().oauth2(alice.token()).get("/owners/" + alice.id() + "/consent-events")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("grant.created", "grant.amended", "coop.joined", "coop.left", "grant.revoked"),
                trail.getList("action"));
        assertEquals(changes.stream().map(c -> c.getString("receipt.receiptId")).toList(), trail.getList("receiptId"));
        assertEquals(changes.stream().map(c -> c.getString("jws")).toList(), trail.getList("jws"));
        assertEquals(List.of(grant, grant, changes.get(2).getString("receipt.consent.id"),
                changes.get(2).getString("receipt.consent.id"), grant), trail.getList("consentId"));
        assertEquals(Arrays.asList(null, null, coop.toString(), coop.toString(), null), trail.getList("coopId"));
        assertEquals(List.of(alice.subject()), trail.getList("actor").stream().distinct().toList());
        List<Instant> times = trail.getList("occurredAt", String.class).stream().map(Instant::parse).toList();
        List<Long> seqs = trail.getList("seq", Long.class);
        for (int i = 1; i < times.size(); i++) {
            assertFalse(times.get(i).isBefore(times.get(i - 1)), "times in order: " + times);
            assertTrue(seqs.get(i) > seqs.get(i - 1), "sequence increases: " + seqs);
        }
        byte[] publicKey = vaultPublicKey();
        trail.getList("jws", String.class).forEach(jws -> JwsVerifier.verify(jws, publicKey, ConsentReceipt.JWS_TYPE));
    }

    @Test
    void anotherOwnersConsentTrailAnswers404() {
        TestOwner alice = newOwner();
        postGrant(alice, grantTo(researcher, terms())).statusCode(201);
        given().auth().oauth2(newOwner().token()).get("/owners/" + alice.id() + "/consent-events").then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void theConsentTrailRefusesUpdatesAndDeletes() throws SQLException {
        TestOwner alice = newOwner();
        postGrant(alice, grantTo(researcher, terms())).statusCode(201);
        for (String sql : List.of("update consent_event set action = 'grant.revoked' where owner_id = ?",
                "delete from consent_event where owner_id = ?")) {
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setObject(1, alice.id());
                SQLException refused = assertThrows(SQLException.class, ps::executeUpdate, sql);
                assertTrue(refused.getMessage().contains("append-only"), refused.getMessage());
            }
        }
        assertEquals(List.of("grant.created"), given().auth().oauth2(alice.token())
                .get("/owners/" + alice.id() + "/consent-events").then().extract().jsonPath().getList("action"));
    }
}
