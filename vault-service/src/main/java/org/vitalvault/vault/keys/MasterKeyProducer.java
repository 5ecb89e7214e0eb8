package org.vitalvault.vault.keys;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
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

    /**
     * The previous KEK of a rotation ({@code vitalvault.kek.previous-file} or {@code
     * previous-base64}), empty when none is configured. Its file must exist: it is never created.
     */
    static Optional<MasterKey> previousKek(VaultConfig.Kek kek) {
        if (kek.previousFile().isPresent() && kek.previousBase64().isPresent()) {
            throw new IllegalStateException("set at most one of vitalvault.kek.previous-file and"
                    + " vitalvault.kek.previous-base64 (VITALVAULT_KEK_PREVIOUS_BASE64)");
        }
        if (kek.previousBase64().isPresent()) {
            return Optional.of(MasterKey.fromBase64(kek.previousBase64().get()));
        }
        if (kek.previousFile().isEmpty()) {
            return Optional.empty();
        }
        Path file = kek.previousFile().get();
        if (!Files.exists(file)) {
            throw new IllegalStateException("previous master key file " + file + " does not exist");
        }
        try {
            return Optional.of(MasterKey.loadOrCreate(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the previous master key file " + file, e);
        }
    }
}
