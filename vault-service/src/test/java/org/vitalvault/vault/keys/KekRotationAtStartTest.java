package org.vitalvault.vault.keys;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.vitalvault.crypto.MasterKey;
import org.vitalvault.vault.support.Tokens;

/** A boot with a previous KEK configured: the rotation runs at start-up and the operator endpoint uses that KEK. */
@QuarkusTest
@TestProfile(KekRotationAtStartTest.PreviousKek.class)
class KekRotationAtStartTest {

    static final String PREVIOUS = "S0VLIHJvdGF0aW9uIHRlc3Q6IHRoZSBvbGQga2V5ISE=";

    /** The old KEK from the environment, as an operator would pass it. */
    public static class PreviousKek implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("vitalvault.kek.previous-base64", PREVIOUS);
        }
    }

    @Test
    void theConfiguredPreviousKekIsTheOneTheOperatorEndpointRewrapsFrom() {
        Tokens.register(Tokens.newOwnerToken());
        given().auth().oauth2(Tokens.tokenFor("ops-" + UUID.randomUUID(), "operator"))
                .post("/operator/kek/rewrap").then().statusCode(200)
                .body("previousKekId", equalTo(MasterKey.fromBase64(PREVIOUS).kekId()))
                .body("rewrapped", equalTo(0)).body("remaining", equalTo(0));
    }
}
