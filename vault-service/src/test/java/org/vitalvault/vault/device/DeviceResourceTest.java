package org.vitalvault.vault.device;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasKey;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.vitalvault.vault.support.Tokens;

@QuarkusTest
class DeviceResourceTest {

    @Test
    void pairingGivesTheDeviceItsIdTopicAndCredentialOnce() {
        String token = Tokens.newOwnerToken();
        UUID owner = Tokens.register(token);
        String deviceId = given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"name\":\"chest strap\"}")
                .post("/owners/" + owner + "/devices").then().statusCode(201)
                .body("topic", equalTo("readings/" + given().auth().oauth2(token)
                        .get("/owners/" + owner + "/devices").then().extract().path("[0].deviceId")))
                .body("credential.length()", equalTo(43))
                .extract().path("deviceId");
        given().auth().oauth2(token).get("/owners/" + owner + "/devices").then().statusCode(200)
                .body("$", hasSize(1))
                .body("[0].deviceId", equalTo(deviceId))
                .body("[0]", not(hasKey("credential")));
    }

    @Test
    void blankNameIsA400ProblemNamingTheField() {
        String token = Tokens.newOwnerToken();
        UUID owner = Tokens.register(token);
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"name\":\" \"}")
                .post("/owners/" + owner + "/devices").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("name"));
    }

    @Test
    void malformedJsonIsA400Problem() {
        String token = Tokens.newOwnerToken();
        UUID owner = Tokens.register(token);
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"name\":")
                .post("/owners/" + owner + "/devices").then().statusCode(400)
                .contentType("application/problem+json");
    }
}
