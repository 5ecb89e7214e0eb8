package org.vitalvault.vault.http;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.vitalvault.vault.support.ConsentFixtures;
import org.vitalvault.vault.support.ConsentFixtures.TestOwner;

/**
 * Health and metrics are on the management interface (its own port, loopback), not on the API port;
 * and the metrics label requests by matched route template only, so a refused request cannot add a
 * series named after whatever path it sent (decision 038).
 */
@QuarkusTest
class ManagementSurfaceTest {

    @TestHTTPResource(value = "/", management = true)
    URI management;

    @Test
    void healthAndMetricsAnswerOnTheManagementPortOnly() {
        given().get("/q/metrics").then().statusCode(404);
        given().get("/q/health").then().statusCode(404);
        given().get("/q/health/ready").then().statusCode(404);

        management().get("/q/health/ready").then().statusCode(200);
        assertTrue(metrics().contains("jvm_memory_used_bytes"), "the management port serves metrics");
        assertEquals("127.0.0.1", management.getHost().replace("localhost", "127.0.0.1"),
                "the management interface listens on loopback");
    }

    @Test
    void refusedRequestsOnUnmatchedPathsAddNoSeriesNamedAfterThePath() {
        TestOwner owner = ConsentFixtures.newOwner();
        String leak = "leak" + UUID.randomUUID().toString().replace("-", "");
        // 405: the path matches /coops/{coopId}, the method nothing; 404: no route at all; 401/403/404
        // on matched templates (their series are labelled with the template, never the id).
        given().delete("/coops/" + leak).then().statusCode(405);
        given().auth().oauth2(owner.token()).delete("/coops/" + leak).then().statusCode(405);
        given().get("/no-such-thing/" + leak).then().statusCode(404);
        given().contentType("application/json").body("{\"name\":\"x\"}").post("/owners/" + leak + "/devices")
                .then().statusCode(401);
        given().get("/owners/" + UUID.randomUUID() + "/devices/" + leak).then().statusCode(404);
        given().auth().oauth2(owner.token()).get("/owners/" + leak + "/devices").then().statusCode(404);
        given().urlEncodingEnabled(false).get("/owners/" + leak + "/..%2F").then().statusCode(400);

        String text = metrics();
        List<String> leaked = text.lines().filter(l -> l.contains(leak)).toList();
        assertEquals(List.of(), leaked, "series named after a refused request's path");
        assertTrue(text.contains("uri=\"/owners/{ownerId}/devices\""), "matched requests keep their template");
        assertFalse(text.lines().anyMatch(l -> l.startsWith("http_server_requests") && l.contains("uri=\"/coops/leak")));
    }

    private String metrics() {
        return management().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    private io.restassured.specification.RequestSpecification management() {
        return given().baseUri("http://" + management.getHost()).port(management.getPort());
    }
}
