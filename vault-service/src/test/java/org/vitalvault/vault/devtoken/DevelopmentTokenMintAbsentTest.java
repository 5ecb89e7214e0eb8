package org.vitalvault.vault.devtoken;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.quarkus.arc.Arc;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A build without {@code vitalvault.dev-tokens.enabled} (as the production build in
 * target/quarkus-app is) has no token mint: not a disabled endpoint but no bean and no route at all,
 * because {@code @IfBuildProperty} is decided when the application is built. A test profile's
 * overrides apply at that build (the boot re-augments the application), so this boot stands for it.
 */
@QuarkusTest
@TestProfile(DevelopmentTokenMintAbsentTest.ProductionBuild.class)
class DevelopmentTokenMintAbsentTest {

    /** Built as `mvn package` builds the production artifact: without the mint. */
    public static class ProductionBuild implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(DevelopmentTokenMint.BUILD_PROPERTY, "false");
        }
    }

    @Test
    void withoutTheBuildPropertyThereIsNoMintToCall() {
        given().contentType(ContentType.JSON).body("{\"subject\":\"ops\",\"role\":\"operator\"}")
                .post("/dev/tokens").then().statusCode(404);
    }

    @Test
    void withoutTheBuildPropertyTheMintIsNotEvenABean() {
        // A runtime switch would leave the bean in place and only answer 404; the build leaves it out.
        assertFalse(Arc.container().instance(DevelopmentTokenMint.class).isAvailable());
    }
}
