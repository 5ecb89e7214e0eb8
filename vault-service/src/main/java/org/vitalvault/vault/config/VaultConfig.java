package org.vitalvault.vault.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Typed configuration of the vault service; checked at start-up. */
@ConfigMapping(prefix = "vitalvault")
public interface VaultConfig {

    /** Where the master key (KEK) comes from. Exactly one of {@code file} and {@code base64} must be set. */
    Kek kek();

    /** The development token endpoint, for the local stack only. */
    DevTokens devTokens();

    /** What a paired device is told about where to publish. */
    Mqtt mqtt();

    /** Limits of owner reads. */
    Reads reads();

    interface Kek {
        /** A file holding the base64 master key; created with mode 0600 when {@code create-if-missing}. */
        Optional<Path> file();

        /** When true and {@code file} does not exist, generate a new master key into it (local mode only). */
        @WithDefault("false")
        boolean createIfMissing();

        /** The master key itself, base64 (from the environment or a secret store: VITALVAULT_KEK_BASE64). */
        Optional<String> base64();
    }

    interface DevTokens {
        /** Serve POST /dev/tokens, which mints tokens for any subject. Never enable outside local mode. */
        @WithDefault("false")
        boolean enabled();

        /** Lifetime of a minted development token. */
        @WithDefault("PT12H")
        Duration lifetime();
    }

    interface Mqtt {
        /** Broker URL handed to a device at pairing. */
        @WithDefault("tcp://localhost:1883")
        String publicUrl();
    }

    interface Reads {
        /** Longest time range one raw series read may span. */
        @WithDefault("P31D")
        Duration maxRawRange();
    }
}
