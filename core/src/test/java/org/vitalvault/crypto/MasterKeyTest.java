package org.vitalvault.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;
import java.util.stream.Stream;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasterKeyTest {

    private final SecureRandom random = new SecureRandom();
    private final MasterKey kek = randomKey();
    private final byte[] ownerPrivateKey = X25519KeyPair.generate(random).privateKey();
    private final UUID ownerId = UUID.randomUUID();

    @TempDir
    Path dir;

    private MasterKey randomKey() {
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        return MasterKey.of(raw);
    }

    @Test
    void unwrapReturnsTheWrappedPrivateKey() {
        byte[] wrapped = kek.wrap(ownerPrivateKey, ownerId, 1);
        assertEquals(61, wrapped.length);
        assertArrayEquals(ownerPrivateKey, kek.unwrap(wrapped, ownerId, 1));
    }

    @Test
    void anEpochKeyUnwrapsOnlyForItsOwnerAndEpochAndNeverAsAnOwnerKey() {
        byte[] dataKey = new byte[16];
        random.nextBytes(dataKey);
        UUID epoch = UUID.randomUUID();
        byte[] wrapped = kek.wrapEpochKey(dataKey, ownerId, epoch);

        assertArrayEquals(dataKey, kek.unwrapEpochKey(wrapped, ownerId, epoch));
        assertThrows(SealBrokenException.class, () -> kek.unwrapEpochKey(wrapped, ownerId, UUID.randomUUID()));
        assertThrows(SealBrokenException.class, () -> kek.unwrapEpochKey(wrapped, UUID.randomUUID(), epoch));
        assertThrows(SealBrokenException.class, () -> randomKey().unwrapEpochKey(wrapped, ownerId, epoch));
        assertThrows(SealBrokenException.class, () -> kek.unwrap(wrapped, ownerId, 1));
        byte[] ownerKey = kek.wrap(ownerPrivateKey, ownerId, 1);
        assertThrows(SealBrokenException.class, () -> kek.unwrapEpochKey(ownerKey, ownerId, epoch));
    }

    @Test
    void aVaultSecretUnwrapsOnlyUnderItsNameAndKekAndNeverAsAnOwnerKey() {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        byte[] wrapped = kek.wrapSecret(secret, "subject-hmac");
        assertArrayEquals(secret, kek.unwrapSecret(wrapped, "subject-hmac"));
        assertThrows(SealBrokenException.class, () -> kek.unwrapSecret(wrapped, "other"));
        assertThrows(SealBrokenException.class, () -> randomKey().unwrapSecret(wrapped, "subject-hmac"));
        assertThrows(SealBrokenException.class, () -> kek.unwrap(wrapped, ownerId, 1));
        assertThrows(SealBrokenException.class, () -> kek.unwrapSecret(kek.wrap(ownerPrivateKey, ownerId, 1), "subject-hmac"));
    }

    @Test
    void unwrapFailsUnderAnotherKek() {
        byte[] wrapped = kek.wrap(ownerPrivateKey, ownerId, 1);
        assertThrows(SealBrokenException.class, () -> randomKey().unwrap(wrapped, ownerId, 1));
    }

    @Test
    void unwrapFailsForAnotherOwnerId() {
        byte[] wrapped = kek.wrap(ownerPrivateKey, ownerId, 1);
        assertThrows(SealBrokenException.class, () -> kek.unwrap(wrapped, UUID.randomUUID(), 1));
    }

    @Test
    void unwrapFailsForAnotherKeyVersion() {
        byte[] wrapped = kek.wrap(ownerPrivateKey, ownerId, 1);
        assertThrows(SealBrokenException.class, () -> kek.unwrap(wrapped, ownerId, 2));
    }

    @Test
    void kekIdIsTheFirstEightHexCharsOfSha256AndToStringShowsOnlyIt() {
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        MasterKey key = MasterKey.fromBase64(Base64.getEncoder().encodeToString(raw));
        SHA256Digest sha = new SHA256Digest();
        sha.update(raw, 0, raw.length);
        byte[] digest = new byte[32];
        sha.doFinal(digest, 0);
        assertEquals(HexFormat.of().formatHex(digest).substring(0, 8), key.kekId());
        assertEquals("MasterKey[kekId=" + key.kekId() + "]", key.toString());
    }

    @Test
    void malformedBase64IsRefusedWithoutEchoingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MasterKey.fromBase64("secret-with-dash"));
        assertFalse(e.getMessage().contains("-"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> MasterKey.fromBase64(Base64.getEncoder().encodeToString(new byte[16])));
    }

    @Test
    void loadOrCreateCreatesAnOwnerOnlyFileAndLoadsTheSameKeyAgain() throws IOException {
        Path file = dir.resolve("secrets/nested/master.key");
        MasterKey created = MasterKey.loadOrCreate(file);
        assertEquals("rw-------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(32, Base64.getDecoder()
                .decode(Files.readString(file, StandardCharsets.US_ASCII).strip()).length);
        MasterKey loaded = MasterKey.loadOrCreate(file);
        assertEquals(created.kekId(), loaded.kekId());
        byte[] wrapped = created.wrap(ownerPrivateKey, ownerId, 7);
        assertArrayEquals(ownerPrivateKey, loaded.unwrap(wrapped, ownerId, 7));
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
    }

    @Test
    void loadOrCreateRefusesAFileReadableByGroupOrOthers() throws IOException {
        Path file = dir.resolve("master.key");
        Files.writeString(file, Base64.getEncoder().encodeToString(new byte[32]));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        IOException e = assertThrows(IOException.class, () -> MasterKey.loadOrCreate(file));
        assertTrue(e.getMessage().contains("rw-r--r--"), e.getMessage());
        assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
    }

    @Test
    void loadOrCreateRefusesAFileThatIsNotABase64Key() throws IOException {
        Path file = dir.resolve("master.key");
        Files.writeString(file, "not a key");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertThrows(IOException.class, () -> MasterKey.loadOrCreate(file));
    }
}
