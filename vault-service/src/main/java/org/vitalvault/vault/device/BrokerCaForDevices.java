package org.vitalvault.vault.device;

import io.quarkus.runtime.Startup;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.vitalvault.mqtt.TlsFiles;
import org.vitalvault.vault.config.VaultConfig;

/**
 * The CA certificate(s) of the broker's TLS listener that pairing hands to devices
 * ({@code vitalvault.mqtt.ca-file}), read and checked once at start-up: a device paired with a
 * local CA must not learn of a typo only when it fails to connect.
 */
@Startup
@Singleton
public class BrokerCaForDevices {

    private final String pem;

    @Inject
    public BrokerCaForDevices(VaultConfig config) {
        this.pem = config.mqtt().caFile().map(Path::of).map(BrokerCaForDevices::read).orElse(null);
    }

    /** The PEM text, or null when none is configured. */
    public String pem() {
        return pem;
    }

    private static String read(Path file) {
        TlsFiles.certificates(file, "vitalvault.mqtt.ca-file");   // throws, naming the setting, if unusable
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("vitalvault.mqtt.ca-file " + file + ": cannot read it (" + e + ")", e);
        }
    }
}
