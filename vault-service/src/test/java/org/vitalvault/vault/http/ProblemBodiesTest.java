package org.vitalvault.vault.http;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.vitalvault.crypto.JwsSigner;
import org.vitalvault.vault.support.Researchers;
import org.vitalvault.vault.support.Tokens;

/**
 * What a client sees when its request cannot be read: a problem in the vault's own words that names
 * the field, never a Java class name or the text of the library that failed (Jackson here).
 */
@QuarkusTest
class ProblemBodiesTest {

    /** Fragments of class names and library messages, lower case; none may reach a client. */
    private static final List<String> LEAKS = List.of("com.fasterxml", "jackson", "exception", "java.", "org.",
            "jsonparse", "jsoneof", "unrecognizedproperty", "mismatchedinput", "invalidformat", "line:", "column:",
            "[source:", "hibernate", "postgres", "sqlstate", "because \"", "cannot invoke", "no enum constant");

    @Test
    void aBodyThatIsNotJsonIsAProblemWithoutLibraryText() {
        String body = given().auth().oauth2(Tokens.tokenFor("researcher-" + UUID.randomUUID(), "researcher"))
                .contentType(ContentType.JSON).body("{\"name\": \"Univ. Test\", \"publicKey\": ")
                .post("/researchers").then().statusCode(400)
                .body("type", equalTo("https://vitalvault.org/problems/invalid-input"))
                .body("errors[0].field", equalTo("body"))
                .extract().asString();
        assertNoLeak(body);
    }

    @Test
    void aSignedPayloadThatIsNotJsonIsAProblemWithoutLibraryText() {
        Researchers.Org org = Researchers.approvedOrg();
        String jws = JwsSigner.sign(org.keys().getPrivate(), "vitalvault.lease-request",
                "{\"requestId\": \"not closed".getBytes(StandardCharsets.UTF_8));
        String body = org.postJws("/researchers/" + org.id() + "/leases", jws).statusCode(400)
                .body("type", equalTo("https://vitalvault.org/problems/invalid-input"))
                .body("errors[0].field", equalTo("payload"))
                .body("errors[0].message", equalTo("must be the JSON of a vitalvault.lease-request"))
                .extract().asString();
        assertNoLeak(body);
    }

    @Test
    void anUnknownFieldInASignedPayloadIsNamedWithoutLibraryText() {
        Researchers.Org org = Researchers.approvedOrg();
        Map<String, Object> request = Researchers.leaseRequest(org.id());
        request.put("colour", "blue");
        String body = org.requestLease(request).statusCode(400)
                .body("errors[0].field", equalTo("colour"))
                .body("errors[0].message", equalTo("is not a field of a vitalvault.lease-request"))
                .extract().asString();
        assertNoLeak(body);
    }

    @Test
    void aWronglyTypedFieldInASignedPayloadIsNamedWithoutLibraryText() {
        Researchers.Org org = Researchers.approvedOrg();
        Map<String, Object> request = Researchers.leaseRequest(org.id());
        request.put("epsilon", "lots");
        String body = org.requestLease(request).statusCode(400)
                .body("errors[0].field", equalTo("epsilon"))
                .extract().asString();
        assertNoLeak(body);
    }

    @Test
    void aNullInsideASignedListIsAProblemWithoutJavaText() {
        Researchers.Org org = Researchers.approvedOrg();
        for (String list : List.of("kinds", "metrics")) {
            Map<String, Object> request = Researchers.leaseRequest(org.id());
            request.put(list, Arrays.asList("MEAN", null));
            String body = org.requestLease(request).statusCode(400)
                    .body("type", equalTo("https://vitalvault.org/problems/invalid-input"))
                    .extract().asString();
            assertNoLeak(body);
        }
    }

    private static void assertNoLeak(String problem) {
        String lower = problem.toLowerCase(Locale.ROOT);
        for (String leak : LEAKS) {
            assertFalse(lower.contains(leak), () -> "problem body leaks '" + leak + "': " + problem);
        }
        assertEquals(-1, problem.indexOf("\tat "), "no stack trace");
    }
}
