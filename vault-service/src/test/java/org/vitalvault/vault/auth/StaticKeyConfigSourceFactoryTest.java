package org.vitalvault.vault.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The static development key and a real provider exclude each other (decision 035). */
class StaticKeyConfigSourceFactoryTest {

    private static final String PEM = "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkq\nhkiG9w0BAQEF\n-----END PUBLIC KEY-----\n";

    private static SmallRyeConfig config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(properties, "test", 300))
                .withSources(new StaticKeyConfigSourceFactory())
                .build();
    }

    @Test
    void aKeyFileBecomesTheVerificationKeyAndTheIssuerTheRequiredOne(@TempDir Path dir) throws Exception {
        Path key = Files.writeString(dir.resolve("public.pem"), PEM);
        SmallRyeConfig config = config(Map.of("vitalvault.jwt.public-key-file", key.toString(),
                "vitalvault.jwt.issuer", "https://dev.example"));
        assertEquals("MIIBIjANBgkqhkiG9w0BAQEF", config.getValue("quarkus.oidc.public-key", String.class));
        assertEquals("https://dev.example", config.getValue("quarkus.oidc.token.issuer", String.class));
    }

    @Test
    void aFileUrlAsTheOldSettingTookItWorksToo(@TempDir Path dir) throws Exception {
        Path key = Files.writeString(dir.resolve("public.pem"), PEM);
        SmallRyeConfig config = config(Map.of("vitalvault.jwt.public-key-file", key.toUri().toString()));
        assertEquals("MIIBIjANBgkqhkiG9w0BAQEF", config.getValue("quarkus.oidc.public-key", String.class));
    }

    @Test
    void withoutAKeyFileNothingIsAddedAndDiscoveryDecides() {
        SmallRyeConfig config = config(Map.of("quarkus.oidc.auth-server-url", "https://idp.example/realms/v"));
        assertFalse(config.getOptionalValue("quarkus.oidc.public-key", String.class).isPresent());
        assertFalse(config.getOptionalValue("quarkus.oidc.token.issuer", String.class).isPresent());
    }

    @Test
    void aKeyFileAndAProviderTogetherAreRefused(@TempDir Path dir) throws Exception {
        Path key = Files.writeString(dir.resolve("public.pem"), PEM);
        RuntimeException e = assertThrows(RuntimeException.class, () -> config(Map.of(
                "vitalvault.jwt.public-key-file", key.toString(),
                "quarkus.oidc.auth-server-url", "https://idp.example/realms/v")));
        assertTrue(String.valueOf(e.getMessage()).contains("not both") || String.valueOf(e.getCause()).contains("not both"),
                String.valueOf(e));
    }
}
