package org.vitalvault.gateway.app;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.vitalvault.gateway.mqtt.GatewayTestResource;

/**
 * The gateway's health, metrics and rejection log answer on its management interface only (its own
 * port, loopback), never on its main HTTP port (decision 038).
 */
@QuarkusTest
@QuarkusTestResource(GatewayTestResource.class)
class ManagementSurfaceTest {

    @TestHTTPResource(value = "/", management = true)
    URI management;

    @Test
    void healthMetricsAndRejectionsAreOnTheManagementPortOnly() {
        for (String path : new String[] {"/rejections", "/q/metrics", "/q/health", "/q/health/ready"}) {
            given().get(path).then().statusCode(404);
        }

        management().get("/q/health/live").then().statusCode(200);
        management().get(RejectionRoute.PATH).then().statusCode(200).contentType("application/json");
        String metrics = management().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("vitalvault_gateway_device_quota"), "the gateway's counters are there");
    }

    @Test
    void aRefusedRequestAddsNoSeriesNamedAfterItsPath() {
        String leak = "leak" + System.nanoTime();
        given().delete("/rejections/" + leak).then().statusCode(404);
        given().post("/q/" + leak).then().statusCode(404);

        String metrics = management().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.lines().noneMatch(l -> l.contains(leak)), "no series carries the request's path");
    }

    private RequestSpecification management() {
        return given().baseUri("http://" + management.getHost()).port(management.getPort());
    }
}
