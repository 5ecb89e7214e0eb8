package org.vitalvault.vault.query;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.vitalvault.vault.support.Cohorts;
import org.vitalvault.vault.support.Cohorts.Member;
import org.vitalvault.vault.support.ConsentFixtures;
import org.vitalvault.vault.support.Researchers;
import org.vitalvault.vault.support.Tokens;

/** The researcher API never discloses an owner id or a device id: not in a body, a header or a log line. */
@QuarkusTest
class ResearcherAnonymityTest {

    private static final org.jboss.logging.Logger PROBE = org.jboss.logging.Logger.getLogger(ResearcherAnonymityTest.class);

    @Inject
    AgroalDataSource dataSource;

    @Test
    void noResponseBodyHeaderOrLogLineOfTheResearcherApiContainsAnOwnerIdOrDeviceId() throws Exception {
        List<String> logLines = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                StringBuilder line = new StringBuilder(String.valueOf(r.getMessage()));
                if (r.getParameters() != null) {
                    for (Object p : r.getParameters()) {
                        line.append(' ').append(p);
                    }
                }
                for (Throwable t = r.getThrown(); t != null; t = t.getCause()) {
                    line.append(' ').append(t);
                }
                synchronized (logLines) {
                    logLines.add(line.toString());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Researchers.Org org = Researchers.approvedOrg();
        List<Member> cohort = Cohorts.consenting(dataSource, 12, org.id(), ConsentFixtures.terms(), 2);
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        List<Response> responses = new ArrayList<>();
        try {
            // registration and approval of another organisation, which has no consenting owners: denied
            String token = Tokens.tokenFor("researcher-" + UUID.randomUUID(), "researcher");
            Response registered = given().auth().oauth2(token).contentType(ContentType.JSON)
                    .body(Map.of("name", "Other Lab", "publicKey", Map.of("kty", "OKP", "crv", "Ed25519",
                            "x", java.util.Base64.getUrlEncoder().withoutPadding()
                                    .encodeToString(Researchers.rawPublicKey(Researchers.newKeyPair())))))
                    .post("/researchers");
            responses.add(registered);
            String operator = Tokens.tokenFor("operator-" + UUID.randomUUID(), "operator");
            responses.add(given().auth().oauth2(operator).post("/operator/researchers/" + org.id() + "/approve"));

            Map<String, Object> tooFine = Researchers.leaseRequest(org.id());
            tooFine.put("granularity", "HOUR");
            responses.add(org.requestLease(tooFine).extract().response());
            Response leased = org.requestLease(Researchers.leaseRequest(org.id())).extract().response();
            responses.add(leased);
            UUID lease = UUID.fromString(leased.path("lease.leaseId"));

            ConsentFixtures.revoke(cohort.get(0).owner(), cohort.get(0).grant()).statusCode(200);
            Map<String, Object> all = Researchers.dailyMeans(lease, 2, 0.5);
            all.put("kinds", List.of("MEAN", "COUNT"));
            responses.add(org.query(lease, all).extract().response());
            responses.add(org.query(lease, Researchers.dailyMeans(lease, 2, 0.6)).extract().response());
            Map<String, Object> notLeased = Researchers.dailyMeans(lease, 2, 0.1);
            notLeased.put("kinds", List.of("HISTOGRAM"));
            responses.add(org.query(lease, notLeased).extract().response());
            responses.add(org.postJws("/researchers/" + org.id() + "/leases/" + lease + "/queries",
                    Researchers.sign(Researchers.newKeyPair(), "vitalvault.lease-query", Researchers.dailyMeans(lease, 1, 0.1)))
                    .extract().response());
            responses.add(given().auth().oauth2(org.token()).get("/researchers/" + org.id() + "/leases/" + lease));
            responses.add(given().auth().oauth2(org.token()).get("/researchers/" + org.id()));
            // the capture sees what the service logs through JBoss Logging
            PROBE.info("anonymity-probe");
        } finally {
            root.removeHandler(capture);
        }
        assertTrue(logLines.stream().anyMatch(l -> l.contains("anonymity-probe")), "the log capture works");

        List<Integer> statuses = responses.stream().map(Response::statusCode).toList();
        assertEquals(List.of(201, 200, 403, 201, 200, 409, 403, 403, 200, 200), statuses);
        List<String> secrets = new ArrayList<>();
        for (Member m : cohort) {
            secrets.add(m.id().toString());
            secrets.add(m.device().toString());
        }
        for (Response r : responses) {
            StringBuilder seen = new StringBuilder(r.asString());
            r.headers().forEach(h -> seen.append('\n').append(h.getName()).append(": ").append(h.getValue()));
            String payloads = jwsPayloads(seen.toString());
            for (String secret : secrets) {
                for (String form : forms(secret)) {
                    assertTrue(!seen.toString().toLowerCase(Locale.ROOT).contains(form)
                            && !payloads.toLowerCase(Locale.ROOT).contains(form), "a researcher response discloses an owner or device id");
                }
            }
        }
        for (String line : logLines) {
            for (String secret : secrets) {
                for (String form : forms(secret)) {
                    assertTrue(!line.toLowerCase(Locale.ROOT).contains(form), "a log line of the researcher API names an owner or device");
                }
            }
        }
    }

    /** A UUID as text, with and without dashes. */
    private static List<String> forms(String uuid) {
        return List.of(uuid.toLowerCase(Locale.ROOT), uuid.replace("-", "").toLowerCase(Locale.ROOT));
    }

    /** The decoded payloads of every JWS-looking token in {@code text} (the signed lease document). */
    private static String jwsPayloads(String text) {
        StringBuilder out = new StringBuilder();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("[A-Za-z0-9_-]+\\.([A-Za-z0-9_-]+)\\.[A-Za-z0-9_-]+").matcher(text);
        while (m.find()) {
            try {
                out.append(new String(java.util.Base64.getUrlDecoder().decode(m.group(1)), java.nio.charset.StandardCharsets.UTF_8));
            } catch (IllegalArgumentException notBase64) {
                // not a JWS
            }
        }
        return out.toString();
    }
}
