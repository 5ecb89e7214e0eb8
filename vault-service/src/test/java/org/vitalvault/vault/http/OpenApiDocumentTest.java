package org.vitalvault.vault.http;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The API document at {@code /q/openapi} is the reference researchers and app authors read: every
 * operation says what it does, which credential it needs and how it refuses.
 */
@QuarkusTest
class OpenApiDocumentTest {

    /**
     * Operations anyone may call: the vault's public keys, the local stack's token minting, and what a
     * browser needs to get a token in the first place: the app's login settings and the local build's
     * development login (decisions 043, 044); and the transparency log's checkpoint, key and consistency
     * proofs, which are hashes and sizes (issue 17).
     */
    private static final Set<String> PUBLIC = Set.of("GET /vault/keys", "POST /dev/tokens", "GET /app/config.json",
            "GET /dev/oidc/authorize", "POST /dev/oidc/authorize", "POST /dev/oidc/token",
            "GET /audit/checkpoint", "GET /audit/key", "GET /audit/consistency");
    /** Lists bounded by something other than use: one latest reading per catalogue metric. */
    private static final Set<String> BOUNDED_LISTS = Set.of("GET /owners/{ownerId}/readings/latest",
            "GET /caregivers/me/delegations/{delegationId}/latest",

            "GET /emergency/episodes/{episodeId}/latest");
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");

    @Test
    void everyOperationHasASummaryTheBearerSchemeUnlessPublicAndItsProblemResponses() {
        JsonPath doc = given().accept("application/json").get("/q/openapi").then().statusCode(200).extract().jsonPath();
        Map<String, Map<String, Object>> paths = doc.getMap("paths");
        List<String> faults = new ArrayList<>();
        int operations = 0;
        int lists = 0;
        for (Map.Entry<String, Map<String, Object>> path : paths.entrySet()) {
            for (Map.Entry<String, Object> method : path.getValue().entrySet()) {
                if (!METHODS.contains(method.getKey())) {
                    continue;
                }
                operations++;
                String name = method.getKey().toUpperCase() + " " + path.getKey();
                @SuppressWarnings("unchecked")
                Map<String, Object> op = (Map<String, Object>) method.getValue();
                if (!(op.get("summary") instanceof String s) || s.isBlank()) {
                    faults.add(name + ": no summary");
                }
                List<?> security = (List<?>) op.get("security");
                boolean bearer = security != null && security.stream().anyMatch(r -> ((Map<?, ?>) r).containsKey("bearer"));
                if (bearer == PUBLIC.contains(name)) {
                    faults.add(name + (bearer ? ": public but asks for a bearer token" : ": no bearer security requirement"));
                }
                @SuppressWarnings("unchecked")
                Map<String, Map<String, Object>> responses = (Map<String, Map<String, Object>>) op.get("responses");
                List<String> expected = new ArrayList<>(List.of("503"));
                if (op.get("parameters") != null || op.get("requestBody") != null) {
                    expected.add("400");
                }
                if (bearer) {
                    expected.addAll(List.of("401", "403"));
                }
                if (path.getKey().contains("{")) {
                    expected.add("404");
                }
                if (method.getKey().equals("get") && isList(responses) && !BOUNDED_LISTS.contains(name)) {
                    lists++;
                    String params = String.valueOf(op.get("parameters"));
                    if (!params.contains("name=limit") || !params.contains("name=offset")) {
                        faults.add(name + ": a list without limit and offset");
                    }
                }
                for (String status : expected) {
                    if (responses == null || !responses.containsKey(status)) {
                        faults.add(name + ": no " + status + " response");
                    }
                }
                if (responses != null) {
                    responses.forEach((status, response) -> {
                        if (status.startsWith("4") && !String.valueOf(response.get("content"))
                                .contains("application/problem+json")) {
                            faults.add(name + ": " + status + " is not problem JSON");
                        }
                    });
                }
            }
        }
        assertTrue(operations >= 38, "the document lists every operation, found " + operations);
        assertTrue(lists >= 7, "the list endpoints are recognised, found " + lists);
        assertEquals(List.of(), faults);
        assertEquals("http", doc.getString("components.securitySchemes.bearer.type"));
        assertEquals("bearer", doc.getString("components.securitySchemes.bearer.scheme"));
        assertTrue(doc.getMap("components.schemas.Problem.properties").keySet().containsAll(List.of("type", "title",
                "status", "detail", "errors")), "the problem schema is in the document");
    }

    private static boolean isList(Map<String, Map<String, Object>> responses) {
        Object ok = responses == null ? null : responses.get("200");
        if (!(ok instanceof Map<?, ?> response) || !(response.get("content") instanceof Map<?, ?> content)
                || !(content.get("application/json") instanceof Map<?, ?> json)
                || !(json.get("schema") instanceof Map<?, ?> schema)) {
            return false;
        }
        return "array".equals(schema.get("type"));
    }

    @Test
    void signedRequestShapesAndCodedValuesAreInTheDocument() {
        JsonPath doc = given().accept("application/json").get("/q/openapi").then().statusCode(200).extract().jsonPath();
        assertTrue(doc.getMap("components.schemas.LeaseRequestPayload.properties").containsKey("validity"));
        assertTrue(doc.getMap("components.schemas.QueryPayload.properties").containsKey("dataWindow"));
        assertEquals(List.of("HOUR", "DAY", "WEEK", "MONTH"), doc.getList("components.schemas.Granularity.enum"));
    }

    @Test
    void swaggerUiIsServed() {
        given().get("/q/swagger-ui/").then().statusCode(200);
    }
}
