package org.vitalvault.researcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitalvault.crypto.JwsSigner;
import org.vitalvault.crypto.JwsVerifier;

/** The organisation's key file: a private Ed25519 JWK, owner-only, whose public half verifies what it signs. */
class KeyFileTest {

    @TempDir
    Path dir;

    @Test
    void aWrittenKeyReadsBackAndSignsWhatItsPublicHalfVerifies() throws Exception {
        KeyFile key = KeyFile.generate();
        Path file = dir.resolve("org.key");
        key.write(file, false);
        KeyFile read = KeyFile.read(file);
        assertEquals(key, read);
        String jws = JwsSigner.sign(read.privateKey(), "vitalvault.lease-request", "{}".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals("{}".getBytes(StandardCharsets.UTF_8), JwsVerifier.verify(jws,
                Base64.getUrlDecoder().decode(read.publicJwk().get("x")), "vitalvault.lease-request"));
    }

    @Test
    void theKeyFileIsReadableByItsOwnerOnly() throws Exception {
        Path file = dir.resolve("org.key");
        KeyFile.generate().write(file, false);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void anExistingKeyIsNotReplacedWithoutForce() throws Exception {
        Path file = dir.resolve("org.key");
        KeyFile first = KeyFile.generate();
        first.write(file, false);
        assertThrows(FileAlreadyExistsException.class, () -> KeyFile.generate().write(file, false));
        assertEquals(first, KeyFile.read(file));
    }

    @Test
    void thePublicJwkIsWhatRegistrationTakesAndHoldsNoPrivatePart() {
        var jwk = KeyFile.generate().publicJwk();
        assertEquals("OKP", jwk.get("kty"));
        assertEquals("Ed25519", jwk.get("crv"));
        assertFalse(jwk.containsKey("d"));
        assertEquals(32, Base64.getUrlDecoder().decode(jwk.get("x")).length);
    }

    @Test
    void aFileWhosePublicHalfIsAnotherKeysIsRefused() throws Exception {
        KeyFile a = KeyFile.generate();
        KeyFile b = KeyFile.generate();
        Path file = dir.resolve("mixed.key");
        new KeyFile(b.x(), a.d()).write(file, false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KeyFile.read(file));
        assertTrue(e.getMessage().contains("does not belong"));
    }

    @Test
    void aPublicOnlyJwkIsNotAKeyFile() throws Exception {
        Path file = dir.resolve("public.json");
        Files.writeString(file, "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" + KeyFile.generate().publicJwk().get("x") + "\"}");
        assertThrows(IllegalArgumentException.class, () -> KeyFile.read(file));
    }

    @Test
    void toStringNeverShowsThePrivateKey() {
        KeyFile key = KeyFile.generate();
        assertFalse(key.toString().contains(Base64.getUrlEncoder().withoutPadding().encodeToString(key.d())));
    }
}
