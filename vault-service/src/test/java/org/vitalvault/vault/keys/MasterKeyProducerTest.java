package org.vitalvault.vault.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitalvault.crypto.MasterKey;
import org.vitalvault.vault.config.VaultConfig;

/** Where the previous KEK of a rotation comes from. */
class MasterKeyProducerTest {

    @TempDir
    Path dir;

    private record Kek(Optional<Path> previousFile, Optional<String> previousBase64) implements VaultConfig.Kek {
        @Override
        public Optional<Path> file() {
            return Optional.empty();
        }

        @Override
        public boolean createIfMissing() {
            return false;
        }

        @Override
        public Optional<String> base64() {
            return Optional.empty();
        }

        @Override
        public boolean rewrapAtStart() {
            return true;
        }

        @Override
        public int rewrapBatchSize() {
            return 500;
        }
    }

    @Test
    void withoutAPreviousKekThereIsNone() {
        assertEquals(Optional.empty(), MasterKeyProducer.previousKek(new Kek(Optional.empty(), Optional.empty())));
    }

    @Test
    void thePreviousKekComesFromTheEnvironmentOrAFile() throws IOException {
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        String base64 = Base64.getEncoder().encodeToString(raw);
        String kekId = MasterKey.of(raw).kekId();
        assertEquals(kekId, MasterKeyProducer.previousKek(new Kek(Optional.empty(), Optional.of(base64))).get().kekId());
        Path file = dir.resolve("old.key");
        MasterKey created = MasterKey.loadOrCreate(file);
        assertEquals(created.kekId(),
                MasterKeyProducer.previousKek(new Kek(Optional.of(file), Optional.empty())).get().kekId());
    }

    @Test
    void aMissingPreviousKekFileIsAStartUpErrorAndIsNeverCreated() {
        Path file = dir.resolve("missing.key");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> MasterKeyProducer.previousKek(new Kek(Optional.of(file), Optional.empty())));
        assertEquals("previous master key file " + file + " does not exist", e.getMessage());
        assertFalse(Files.exists(file));
    }

    @Test
    void bothPreviousSourcesAtOnceAreRefused() {
        assertThrows(IllegalStateException.class, () -> MasterKeyProducer.previousKek(
                new Kek(Optional.of(dir.resolve("x")), Optional.of("AAAA"))));
    }
}
