package org.vitalvault.vault.auth;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Static-key mode for bearer tokens (decision 035): when {@code vitalvault.jwt.public-key-file} is
 * set, hands quarkus-oidc that PEM file's key ({@code quarkus.oidc.public-key}, which takes the key
 * itself, not a file) and the issuer every token must carry ({@code vitalvault.jwt.issuer}). The
 * local stack, dev mode and the tests verify development tokens this way; a real deployment sets
 * {@code quarkus.oidc.auth-server-url} instead and gets keys (and their rotation) by discovery.
 *
 * <p>Setting both is refused: quarkus-oidc would silently prefer the static key and never ask the
 * provider, so a deployment that believed it followed its provider's keys would not.
 */
public class StaticKeyConfigSourceFactory implements ConfigSourceFactory {

    static final String FILE = "vitalvault.jwt.public-key-file";
    /** Below application.properties (250): a key set there or in the environment still wins. */
    private static final int ORDINAL = 150;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        String file = value(context, FILE);
        if (file == null) {
            return List.of();
        }
        if (value(context, "quarkus.oidc.auth-server-url") != null) {
            throw new IllegalStateException("Set either quarkus.oidc.auth-server-url (VITALVAULT_OIDC_URL: discovery"
                    + " and JWKS of a real provider) or " + FILE + " (VITALVAULT_JWT_PUBLIC_KEY: a static development"
                    + " key), not both");
        }
        String issuer = value(context, "vitalvault.jwt.issuer");
        return List.of(new PropertiesConfigSource(Map.of(
                "quarkus.oidc.public-key", keyOf(file),
                "quarkus.oidc.token.issuer", issuer == null ? "https://vitalvault.local/dev" : issuer),
                "vitalvault static JWT key", ORDINAL));
    }

    private static String value(ConfigSourceContext context, String name) {
        ConfigValue v = context.getValue(name);
        return v == null || v.getValue() == null || v.getValue().isBlank() ? null : v.getValue().trim();
    }

    /** The base64 body of a PEM public key (a path or a file: URL, as the old smallrye-jwt setting took). */
    static String keyOf(String location) {
        Path path = !location.startsWith("file:") ? Path.of(location)
                : location.startsWith("file:/") ? Path.of(URI.create(location)) : Path.of(location.substring(5));
        try {
            return Files.readString(path).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the JWT public key " + path + " (" + FILE + ")", e);
        }
    }
}
