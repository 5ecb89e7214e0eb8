package org.vitalvault.vault.keys;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.vitalvault.crypto.MasterKey;
import org.vitalvault.vault.config.VaultConfig;

/** Loads the master key (KEK) once at start-up: from a file or from configuration, never from the database. */
@ApplicationScoped
public class MasterKeyProducer {

    @Produces
    @ApplicationScoped
    MasterKey masterKey(VaultConfig config) {
        VaultConfig.Kek kek = config.kek();
        if (kek.file().isPresent() == kek.base64().isPresent()) {
            throw new IllegalStateException(
                    "set exactly one of vitalvault.kek.file and vitalvault.kek.base64 (VITALVAULT_KEK_BASE64)");
        }
        if (kek.base64().isPresent()) {
            return MasterKey.fromBase64(kek.base64().get());
        }
        Path file = kek.file().get();
        if (!Files.exists(file) && !kek.createIfMissing()) {
            throw new IllegalStateException("master key file " + file + " does not exist"
                    + " (set vitalvault.kek.create-if-missing=true to generate one in local mode)");
        }
        try {
            return MasterKey.loadOrCreate(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the master key file " + file, e);
        }
    }
}
