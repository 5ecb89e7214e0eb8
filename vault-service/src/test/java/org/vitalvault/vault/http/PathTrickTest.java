package org.vitalvault.vault.http;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.vitalvault.vault.support.ConsentFixtures;
import org.vitalvault.vault.support.ConsentFixtures.TestOwner;

/**
 * An owner's own token and a path trick must never reach erasure (or any resource the path does not
 * literally name). Requests go over a raw socket: HTTP clients normalise dot segments themselves,
 * an attacker's client does not.
 */
@QuarkusTest
class PathTrickTest {

    @TestHTTPResource("/")
    URI base;

    @ParameterizedTest
    @ValueSource(strings = {"/devices/%2e%2e", "/devices/%2E%2E", "/devices/.%2e", "/devices/..", "/grants/%2e%2e",
            "/devices/%2e%2e/", "/devices/..;x=1", "/x/%2e%2e/%2e%2e/OWNER"})
    void aDotSegmentDeleteIsRefusedAndErasesNothing(String trick) throws IOException {
        TestOwner owner = ConsentFixtures.newOwner();
        String path = "/owners/" + owner.id() + trick.replace("OWNER", owner.id().toString());

        String response = raw("DELETE", path, owner.token(), "{\"confirmOwnerId\":\"" + owner.id() + "\"}");

        assertTrue(response.startsWith("HTTP/1.1 400"), response);
        assertTrue(response.contains("non-canonical-path"), response);
        given().auth().oauth2(owner.token()).get("/owners/me").then().statusCode(200);
    }

    @Test
    void aDotSegmentGetDoesNotAnswerTheOwnerRecord() throws IOException {
        TestOwner owner = ConsentFixtures.newOwner();

        String response = raw("GET", "/owners/" + owner.id() + "/grants/%2e%2e", owner.token(), null);

        assertTrue(response.startsWith("HTTP/1.1 400"), response);
        assertFalse(response.contains("createdAt"), response);
    }

    @Test
    void erasureWithoutAConfirmingBodyIsRefused() {
        TestOwner owner = ConsentFixtures.newOwner();

        given().auth().oauth2(owner.token()).delete("/owners/" + owner.id()).then().statusCode(400)
                .contentType("application/problem+json");
        given().auth().oauth2(owner.token()).contentType(ContentType.JSON).body("{}")
                .delete("/owners/" + owner.id()).then().statusCode(400);
        given().auth().oauth2(owner.token()).contentType(ContentType.JSON)
                .body(Map.of("confirmOwnerId", UUID.randomUUID().toString()))
                .delete("/owners/" + owner.id()).then().statusCode(400);

        given().auth().oauth2(owner.token()).get("/owners/me").then().statusCode(200);
    }

    @Test
    void erasureNamingTheOwnerAgainErases() {
        TestOwner owner = ConsentFixtures.newOwner();

        given().auth().oauth2(owner.token()).contentType(ContentType.JSON)
                .body(Map.of("confirmOwnerId", owner.id().toString()))
                .delete("/owners/" + owner.id()).then().statusCode(200);

        given().auth().oauth2(owner.token()).get("/owners/me").then().statusCode(404);
    }

    @Test
    void aGrantMustNameAnExistingOrganisation() {
        TestOwner owner = ConsentFixtures.newOwner();
        TestOwner other = ConsentFixtures.newOwner();

        ConsentFixtures.postGrant(owner, ConsentFixtures.grantTo(UUID.randomUUID(), ConsentFixtures.terms()))
                .statusCode(400).contentType("application/problem+json");
        ConsentFixtures.postGrant(owner, ConsentFixtures.grantTo(other.id(), ConsentFixtures.terms()))
                .statusCode(400);
        given().auth().oauth2(owner.token()).get("/owners/" + owner.id() + "/grants").then().statusCode(200)
                .body("size()", org.hamcrest.Matchers.equalTo(0));
    }

    private String raw(String method, String path, String token, String body) throws IOException {
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        String request = method + " " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                + "\r\nAuthorization: Bearer " + token + "\r\nConnection: close\r\n"
                + (body == null ? "" : "Content-Type: application/json\r\nContent-Length: " + content.length + "\r\n")
                + "\r\n";
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.write(content);
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
