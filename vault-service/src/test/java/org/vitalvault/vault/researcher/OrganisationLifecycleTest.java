package org.vitalvault.vault.researcher;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.vitalvault.crypto.JwsVerifier;
import org.vitalvault.vault.support.Cohorts;
import org.vitalvault.vault.support.Cohorts.Member;
import org.vitalvault.vault.support.ConsentFixtures;
import org.vitalvault.vault.support.Researchers;
import org.vitalvault.vault.support.Tokens;

/**
 * An organisation's lifecycle after approval, through the REST API on real PostgreSQL: an operator
 * suspends it (its leases stop answering at once, its owners see it) and reinstates it; it rotates
 * its request-signing key (the old key is refused from then on, and stays listed for verifying what
 * it signed).
 */
@QuarkusTest
class OrganisationLifecycleTest {

    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final String ROTATION_TYP = "vitalvault.key-rotation";

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ObjectMapper json;

    @Test
    void suspendedOrganisationsLeaseStopsAnsweringAtOnce() throws Exception {
        Researchers.Org org = Researchers.approvedOrg();
        List<Member> cohort = Cohorts.consenting(dataSource, 11, org.id(), ConsentFixtures.terms(), 2);
        UUID lease = org.lease(Researchers.leaseRequest(org.id()));
        org.query(lease, Researchers.dailyMeans(lease, 2, 0.2)).statusCode(200);

        String operator = operatorToken();
        suspend(operator, org.id(), "ethics board withdrew the study's approval").statusCode(200)
                .body("id", equalTo(org.id().toString()))
                .body("status", equalTo("SUSPENDED"))
                .body("suspension.reason", equalTo("ethics board withdrew the study's approval"))
                .body("suspension.at", notNullValue());

        org.query(lease, Researchers.dailyMeans(lease, 2, 0.2)).statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo("https://vitalvault.org/problems/researcher-suspended"));
        org.requestLease(Researchers.leaseRequest(org.id())).statusCode(403)
                .body("type", equalTo("https://vitalvault.org/problems/researcher-suspended"));
        // Refused before anything was read or charged: the owners' ledgers hold only the first query.
        ledger(cohort.get(0)).body("charges", hasSize(1));
        // Approving again does not lift a suspension: only a reinstatement does.
        given().auth().oauth2(operator).post("/operator/researchers/" + org.id() + "/approve").then().statusCode(200)
                .body("status", equalTo("SUSPENDED"));
        given().auth().oauth2(org.token()).get("/researchers/" + org.id()).then().statusCode(200)
                .body("status", equalTo("SUSPENDED"))
                .body("suspension.reason", equalTo("ethics board withdrew the study's approval"));

        reinstate(operator, org.id(), "board approval renewed").statusCode(200)
                .body("status", equalTo("APPROVED"))
                .body("suspension", nullValue());
        org.query(lease, Researchers.dailyMeans(lease, 2, 0.2)).statusCode(200);
        ledger(cohort.get(0)).body("charges", hasSize(2));

        given().auth().oauth2(operator).get("/operator/researchers/" + org.id() + "/status-changes").then().statusCode(200)
                .body("", hasSize(2))
                .body("status", equalTo(List.of("SUSPENDED", "APPROVED")))
                .body("reason", equalTo(List.of("ethics board withdrew the study's approval", "board approval renewed")))
                .body("[0].by", notNullValue())
                .body("[0].at", notNullValue());
    }

    @Test
    void suspendingTwiceOrReinstatingAnOrganisationNotSuspendedIsAConflict() {
        Researchers.Org org = Researchers.approvedOrg();
        String operator = operatorToken();
        reinstate(operator, org.id(), "nothing to lift").statusCode(409)
                .body("type", equalTo("https://vitalvault.org/problems/researcher-not-suspended"));
        suspend(operator, org.id(), "audit").statusCode(200);
        suspend(operator, org.id(), "audit again").statusCode(409)
                .body("type", equalTo("https://vitalvault.org/problems/researcher-already-suspended"));
        suspend(operator, UUID.randomUUID(), "who?").statusCode(404);
    }

    @Test
    void aSuspensionNeedsAReason() {
        Researchers.Org org = Researchers.approvedOrg();
        given().auth().oauth2(operatorToken()).contentType(ContentType.JSON).body(Map.of("reason", " "))
                .post("/operator/researchers/" + org.id() + "/suspend").then().statusCode(400)
                .body("errors[0].field", equalTo("reason"));
        given().auth().oauth2(org.token()).get("/researchers/" + org.id()).then().statusCode(200)
                .body("status", equalTo("APPROVED"));
    }

    @Test
    void ownerSeesThatAnOrganisationUsingTheirDataIsSuspended() throws Exception {
        Researchers.Org org = Researchers.approvedOrg();
        Member owner = Cohorts.consenting(dataSource, 11, org.id(), ConsentFixtures.terms(), 1).get(0);
        UUID lease = org.lease(Researchers.leaseRequest(org.id()));
        org.query(lease, Researchers.dailyMeans(lease, 1, 0.2)).statusCode(200);
        dataUses(owner).body("[0].organisation.id", equalTo(org.id().toString()))
                .body("[0].organisation.status", equalTo("APPROVED"));

        suspend(operatorToken(), org.id(), "data-protection authority inquiry").statusCode(200);

        dataUses(owner).body("", hasSize(1))
                .body("[0].organisation.status", equalTo("SUSPENDED"));
        given().auth().oauth2(owner.owner().token()).get("/owners/" + owner.id() + "/credits").then().statusCode(200)
                .body("credits", hasSize(1))
                .body("credits[0].organisation", equalTo(org.id().toString()))
                .body("credits[0].organisationStatus", equalTo("SUSPENDED"));
    }

    @Test
    void operatorEndpointsRefuseAResearcherOrOwnerToken() {
        Researchers.Org org = Researchers.approvedOrg();
        for (String token : List.of(org.token(), Tokens.newOwnerToken())) {
            suspend(token, org.id(), "I suspend myself").statusCode(403);
            reinstate(token, org.id(), "and lift it").statusCode(403);
            given().auth().oauth2(token).get("/operator/researchers/" + org.id() + "/status-changes").then().statusCode(403);
        }
        given().auth().oauth2(org.token()).get("/researchers/" + org.id()).then().statusCode(200)
                .body("status", equalTo("APPROVED"));
    }

    @Test
    void oldKeyIsRefusedAfterRotation() throws Exception {
        Researchers.Org org = Researchers.approvedOrg();
        Cohorts.consenting(dataSource, 11, org.id(), ConsentFixtures.terms(), 1);
        UUID lease = org.lease(Researchers.leaseRequest(org.id()));
        KeyPair next = Researchers.newKeyPair();

        rotate(org, org.keys(), next).statusCode(201)
                .body("kid", equalTo(kid(next)))
                .body("publicKey.x", equalTo(B64URL.encodeToString(Researchers.rawPublicKey(next))))
                .body("retiredAt", nullValue());

        org.query(lease, Researchers.dailyMeans(lease, 1, 0.2)).statusCode(403)
                .body("type", equalTo("https://vitalvault.org/problems/signature-invalid"));
        org.requestLease(Researchers.leaseRequest(org.id())).statusCode(403)
                .body("type", equalTo("https://vitalvault.org/problems/signature-invalid"));

        Researchers.Org rotated = new Researchers.Org(org.id(), org.token(), next);
        rotated.query(lease, Researchers.dailyMeans(lease, 1, 0.2)).statusCode(200);
        rotated.requestLease(Researchers.leaseRequest(org.id())).statusCode(201)
                .body("lease.organisation.kid", equalTo(kid(next)));
        given().auth().oauth2(org.token()).get("/researchers/" + org.id()).then().statusCode(200)
                .body("kid", equalTo(kid(next)));
    }

    @Test
    void rotationMustBeSignedByTheCurrentKey() {
        Researchers.Org org = Researchers.approvedOrg();
        KeyPair stranger = Researchers.newKeyPair();
        rotate(org, stranger, stranger).statusCode(403)
                .body("type", equalTo("https://vitalvault.org/problems/signature-invalid"));
        // Another kind of signed document cannot pass for a rotation, even with the right key.
        Map<String, Object> payload = rotation(org.id(), Researchers.newKeyPair());
        org.postJws("/researchers/" + org.id() + "/keys", org.sign("vitalvault.lease-request", payload)).statusCode(403)
                .body("type", equalTo("https://vitalvault.org/problems/signature-invalid"));
        keys(org).body("", hasSize(1)).body("[0].kid", equalTo(kid(org.keys())));

        // Once rotated, the retired key can rotate no more: it cannot take the organisation back.
        KeyPair next = Researchers.newKeyPair();
        rotate(org, org.keys(), next).statusCode(201);
        rotate(org, org.keys(), Researchers.newKeyPair()).statusCode(403)
                .body("type", equalTo("https://vitalvault.org/problems/signature-invalid"));
        // A key the organisation used before cannot come back (a replayed rotation could otherwise revive it).
        rotate(org, next, org.keys()).statusCode(409)
                .body("type", equalTo("https://vitalvault.org/problems/researcher-key-reused"));
        keys(org).body("", hasSize(2)).body("[1].kid", equalTo(kid(next)));
        // The path's organisation and the bearer token's must match, as everywhere.
        Researchers.Org other = Researchers.registeredOrg();
        given().auth().oauth2(other.token()).contentType("application/jose")
                .body(Researchers.sign(next, ROTATION_TYP, rotation(org.id(), Researchers.newKeyPair()))
                        .getBytes(StandardCharsets.US_ASCII))
                .post("/researchers/" + org.id() + "/keys").then().statusCode(404);
    }

    @Test
    void twoRotationsSignedWithTheSameKeyCannotBothWin() throws Exception {
        Researchers.Org org = Researchers.registeredOrg();
        List<String> rotations = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            rotations.add(org.sign(ROTATION_TYP, rotation(org.id(), Researchers.newKeyPair())));
        }
        ExecutorService pool = Executors.newFixedThreadPool(rotations.size());
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (String jws : rotations) {
                answers.add(pool.submit(() -> org.postJws("/researchers/" + org.id() + "/keys", jws).extract().statusCode()));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> a : answers) {
                statuses.add(a.get());
            }
            statuses.sort(null);
            assertEquals(List.of(201, 403, 403, 403), statuses);
        } finally {
            pool.shutdownNow();
        }
        keys(org).body("", hasSize(2)).body("[0].retiredAt", notNullValue()).body("[1].retiredAt", nullValue());
    }

    @Test
    void aRotationNamingAnotherOrganisationOrAPrivateKeyIsA400() {
        Researchers.Org org = Researchers.registeredOrg();
        Map<String, Object> elsewhere = rotation(UUID.randomUUID(), Researchers.newKeyPair());
        org.postJws("/researchers/" + org.id() + "/keys", org.sign(ROTATION_TYP, elsewhere)).statusCode(400)
                .body("errors[0].field", equalTo("organisation"));
        Map<String, Object> leaky = rotation(org.id(), Researchers.newKeyPair());
        leaky.put("publicKey", Map.of("kty", "OKP", "crv", "Ed25519", "x", "AAAA", "d", "AAAA"));
        org.postJws("/researchers/" + org.id() + "/keys", org.sign(ROTATION_TYP, leaky)).statusCode(400)
                .body("errors[0].field", equalTo("publicKey"));
        Map<String, Object> stale = rotation(org.id(), Researchers.newKeyPair());
        stale.put("issuedAt", Instant.now().minus(1, ChronoUnit.HOURS).toString());
        org.postJws("/researchers/" + org.id() + "/keys", org.sign(ROTATION_TYP, stale)).statusCode(400)
                .body("errors[0].field", equalTo("issuedAt"));
    }

    @Test
    void keyHistoryKeepsRetiredKeysForVerification() throws Exception {
        Researchers.Org org = Researchers.approvedOrg();
        Cohorts.consenting(dataSource, 11, org.id(), ConsentFixtures.terms(), 0);
        String request = org.sign("vitalvault.lease-request", Researchers.leaseRequest(org.id()));
        UUID lease = UUID.fromString(org.postJws("/researchers/" + org.id() + "/leases", request).statusCode(201)
                .extract().path("lease.leaseId"));
        KeyPair next = Researchers.newKeyPair();
        rotate(org, org.keys(), next).statusCode(201);

        JsonPath history = keys(org).body("", hasSize(2)).extract().jsonPath();
        assertEquals(kid(org.keys()), history.getString("[0].kid"));
        assertEquals(kid(next), history.getString("[1].kid"));
        assertEquals(history.getString("[0].retiredAt"), history.getString("[1].validFrom"));
        assertEquals(null, history.getString("[1].retiredAt"));
        assertEquals(null, history.getString("[0].publicKey.d"));

        // The lease signed before the rotation still names the old kid, and the listed key verifies the
        // request it answers: the document's digest is of exactly that JWS.
        String document = given().auth().oauth2(org.token()).get("/researchers/" + org.id() + "/leases/" + lease).then()
                .statusCode(200).extract().path("document");
        JsonNode signed = json.readTree(JwsVerifier.verify(document, ConsentFixtures.vaultPublicKey(), "vitalvault.lease"));
        String lessee = signed.get("organisation").get("kid").asText();
        assertEquals(kid(org.keys()), lessee);
        byte[] listed = Base64.getUrlDecoder().decode(history.getString("[0].publicKey.x"));
        assertArrayEquals(Researchers.rawPublicKey(org.keys()), listed);
        JwsVerifier.verify(request, listed, "vitalvault.lease-request");
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(request.getBytes(StandardCharsets.US_ASCII))), signed.get("requestDigest").asText());

        given().auth().oauth2(org.token()).get("/researchers/" + org.id() + "/keys/" + lessee).then().statusCode(200)
                .body("kid", equalTo(lessee)).body("retiredAt", notNullValue());
        given().auth().oauth2(org.token()).get("/researchers/" + org.id() + "/keys/0000000000000000").then().statusCode(404);
        given().auth().oauth2(Researchers.registeredOrg().token()).get("/researchers/" + org.id() + "/keys").then()
                .statusCode(404);
    }

    @Test
    void aSuspendedOrganisationMayStillRotateItsKey() {
        Researchers.Org org = Researchers.approvedOrg();
        suspend(operatorToken(), org.id(), "key reported leaked").statusCode(200);
        KeyPair next = Researchers.newKeyPair();
        rotate(org, org.keys(), next).statusCode(201);
        assertNotEquals(kid(org.keys()), kid(next));
        keys(org).body("", hasSize(2));
    }

    private static String operatorToken() {
        return Tokens.tokenFor("operator-" + UUID.randomUUID(), "operator");
    }

    private static ValidatableResponse suspend(String token, UUID org, String reason) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("reason", reason))
                .post("/operator/researchers/" + org + "/suspend").then();
    }

    private static ValidatableResponse reinstate(String token, UUID org, String reason) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("reason", reason))
                .post("/operator/researchers/" + org + "/reinstate").then();
    }

    /** A rotation payload naming {@code next}'s public key as a JWK. A mutable map. */
    private static Map<String, Object> rotation(UUID org, KeyPair next) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("organisation", org.toString());
        p.put("issuedAt", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        p.put("publicKey", Map.of("kty", "OKP", "crv", "Ed25519", "x", B64URL.encodeToString(Researchers.rawPublicKey(next))));
        return p;
    }

    private static ValidatableResponse rotate(Researchers.Org org, KeyPair signWith, KeyPair next) {
        return org.postJws("/researchers/" + org.id() + "/keys", Researchers.sign(signWith, ROTATION_TYP, rotation(org.id(), next)));
    }

    private static ValidatableResponse keys(Researchers.Org org) {
        return given().auth().oauth2(org.token()).get("/researchers/" + org.id() + "/keys").then().statusCode(200);
    }

    private static String kid(KeyPair keys) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Researchers.rawPublicKey(keys)), 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ValidatableResponse ledger(Member m) {
        return given().auth().oauth2(m.owner().token()).get("/owners/" + m.id() + "/ledger").then().statusCode(200);
    }

    private static ValidatableResponse dataUses(Member m) {
        return given().auth().oauth2(m.owner().token()).get("/owners/" + m.id() + "/data-uses").then().statusCode(200);
    }
}
