package org.vitalvault.vault.keys;

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
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitalvault.crypto.JwsVerifier;

class SigningKeyTest {

    @TempDir
    Path dir;

    @Test
    void aCreatedKeyFileIsOwnerOnlyAndLoadsBackToTheSameKey() throws IOException {
        Path file = dir.resolve("keys/signing.key");
        SigningKey created = SigningKey.loadOrCreate(file);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        SigningKey loaded = SigningKey.loadOrCreate(file);
        assertArrayEquals(created.publicKey(), loaded.publicKey());
        assertEquals(created.kid(), loaded.kid());
    }

    @Test
    void aKeyFileReadableByOthersIsRefused() throws IOException {
        Path file = dir.resolve("signing.key");
        SigningKey.loadOrCreate(file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        IOException e = assertThrows(IOException.class, () -> SigningKey.loadOrCreate(file));
        assertTrue(e.getMessage().contains("chmod 600"));
    }

    @Test
    void kidIsTheFirst16HexCharactersOfSha256OfTheRawPublicKey() throws Exception {
        SigningKey key = SigningKey.generate();
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.publicKey())).substring(0, 16);
        assertEquals(expected, key.kid());
        assertEquals(32, key.publicKey().length);
    }

    @Test
    void aSignatureVerifiesWithTheRawPublicKeyAndNamesKidAndTyp() {
        SigningKey key = SigningKey.generate();
        byte[] payload = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        String jws = key.sign("vitalvault.test", payload);
        assertArrayEquals(payload, JwsVerifier.verify(jws, key.publicKey(), "vitalvault.test"));
        assertEquals(new JwsVerifier.Header("EdDSA", key.kid(), "vitalvault.test"), JwsVerifier.unverifiedHeader(jws));
        assertThrows(JwsVerifier.InvalidJwsException.class, () -> JwsVerifier.verify(jws, SigningKey.generate().publicKey()));
    }

    @Test
    void aPkcs8KeyFromOutsideLoadsFromBase64() throws Exception {
        byte[] der = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate().getEncoded();
        SigningKey key = SigningKey.fromBase64(" " + Base64.getEncoder().encodeToString(der) + "\n");
        assertArrayEquals("x".getBytes(), JwsVerifier.verify(key.sign("t", "x".getBytes()), key.publicKey()));
    }

    @Test
    void anotherKindOfKeyIsRefusedWithoutQuotingIt() throws Exception {
        byte[] rsa = KeyPairGenerator.getInstance("RSA").generateKeyPair().getPrivate().getEncoded();
        String base64 = Base64.getEncoder().encodeToString(rsa);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SigningKey.fromBase64(base64));
        assertFalse(e.getMessage().contains(base64.substring(0, 20)));
        assertThrows(IllegalArgumentException.class, () -> SigningKey.fromBase64("not base64 at all!"));
    }

    @Test
    void aTypThatWouldNeedJsonEscapingIsRefused() {
        SigningKey key = SigningKey.generate();
        assertThrows(IllegalArgumentException.class, () -> key.sign("a\",\"alg\":\"none", new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> key.sign("", new byte[0]));
    }

    @Test
    void toStringShowsOnlyTheKid() {
        SigningKey key = SigningKey.generate();
        assertEquals("SigningKey[kid=" + key.kid() + "]", key.toString());
    }

    @Test
    void aNoteSignatureIsPlainEd25519OverTheTextThatSignedNoteVerifies() throws Exception {
        SigningKey key = SigningKey.generate();
        org.vitalvault.tlog.NoteKey noteKey = org.vitalvault.tlog.NoteKey.of("vault.example/audit", key.publicKey());
        String text = new org.vitalvault.tlog.Checkpoint("vault.example/audit", 3, new byte[32]).text();
        String note = org.vitalvault.tlog.SignedNote.sign(text, noteKey, key::signNoteText);
        assertEquals(text, org.vitalvault.tlog.SignedNote.open(note, noteKey));
        assertEquals(note, org.vitalvault.tlog.SignedNote.sign(text, noteKey, key::signNoteText), "deterministic");
    }

    @Test
    void noNoteSignatureIsMadeOverAJwsSigningInput() {
        SigningKey key = SigningKey.generate();
        String jws = key.sign("vitalvault.erasure-receipt", "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        byte[] signingInput = jws.substring(0, jws.lastIndexOf('.')).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThrows(IllegalArgumentException.class, () -> key.signNoteText(signingInput));
        assertThrows(IllegalArgumentException.class, () -> key.signNoteText(new byte[0]));
    }
}
