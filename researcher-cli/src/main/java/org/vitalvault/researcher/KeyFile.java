package org.vitalvault.researcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.vitalvault.crypto.JwsVerifier;

/**
 * An organisation's request-signing key on disk: one Ed25519 private JWK (RFC 8037),
 * {@code {"kty":"OKP","crv":"Ed25519","x":…,"d":…}}, mode 0600. A JWK rather than PEM so that any
 * JOSE library reads it and the public half ({@link #publicJwk}) is the same object without
 * {@code d} — exactly what {@code POST /researchers} takes.
 *
 * @param x the raw 32-byte public key
 * @param d the raw 32-byte private key (seed)
 */
public record KeyFile(byte[] x, byte[] d) {

    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64URL_DECODER = Base64.getUrlDecoder();
    // PKCS#8 PrivateKeyInfo prefix of an Ed25519 key (RFC 8410 §7): version 0, OID 1.3.101.112,
    // then the 32-byte seed as an OCTET STRING inside the privateKey OCTET STRING.
    private static final byte[] PKCS8_PREFIX = {0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70,
        0x04, 0x22, 0x04, 0x20};
    private static final ObjectMapper JSON = new ObjectMapper();

    public KeyFile {
        if (x == null || x.length != JwsVerifier.PUBLIC_KEY_LENGTH || d == null || d.length != 32) {
            throw new IllegalArgumentException("an Ed25519 key has a 32-byte x and a 32-byte d");
        }
        x = x.clone();
        d = d.clone();
    }

    /** A fresh key pair from the JDK's Ed25519 generator. */
    public static KeyFile generate() {
        try {
            var pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            byte[] spki = pair.getPublic().getEncoded();
            byte[] seed = ((EdECPrivateKey) pair.getPrivate()).getBytes()
                    .orElseThrow(() -> new IllegalStateException("the JDK did not expose the Ed25519 seed"));
            return new KeyFile(Arrays.copyOfRange(spki, spki.length - 32, spki.length), seed);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no Ed25519", e);
        }
    }

    /**
     * Reads a key file and checks that its {@code x} belongs to its {@code d} (a test signature),
     * so a file edited by hand cannot sign requests the vault would refuse for a reason hard to see.
     *
     * @throws IllegalArgumentException naming what is wrong with the file (never quoting the key)
     */
    public static KeyFile read(Path file) throws IOException {
        JsonNode jwk;
        try {
            jwk = JSON.readTree(file.toFile());
        } catch (IOException e) {
            if (!Files.exists(file)) {
                throw e;
            }
            throw new IllegalArgumentException(file + " is not a JSON key file (made by `keygen`)");
        }
        if (jwk == null || !"OKP".equals(jwk.path("kty").asText()) || !"Ed25519".equals(jwk.path("crv").asText())
                || !jwk.path("x").isTextual() || !jwk.path("d").isTextual()) {
            throw new IllegalArgumentException(file + " is not an Ed25519 private JWK (kty OKP, crv Ed25519, x and d)");
        }
        KeyFile key;
        try {
            key = new KeyFile(B64URL_DECODER.decode(jwk.get("x").asText()), B64URL_DECODER.decode(jwk.get("d").asText()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": x and d must be 32 bytes each, base64url");
        }
        byte[] probe = "vitalvault key check".getBytes(StandardCharsets.US_ASCII);
        try {
            JwsVerifier.verify(org.vitalvault.crypto.JwsSigner.sign(key.privateKey(), "probe", probe), key.x);
        } catch (JwsVerifier.InvalidJwsException e) {
            throw new IllegalArgumentException(file + ": its public key x does not belong to its private key d");
        }
        return key;
    }

    /**
     * Writes the key as a private JWK readable by its owner only.
     *
     * @throws FileAlreadyExistsException unless {@code overwrite}: a key is not replaced by accident
     */
    public void write(Path file, boolean overwrite) throws IOException {
        if (!overwrite && Files.exists(file)) {
            throw new FileAlreadyExistsException(file.toString());
        }
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp;
        try {
            tmp = Files.createTempFile(dir, ".key", ".tmp", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            tmp = Files.createTempFile(dir, ".key", ".tmp");   // not POSIX (Windows): the folder's ACL applies
        }
        Map<String, String> jwk = new LinkedHashMap<>(publicJwk());
        jwk.put("d", B64URL.encodeToString(d));
        Files.write(tmp, (JSON.writerWithDefaultPrettyPrinter().writeValueAsString(jwk) + "\n").getBytes(StandardCharsets.UTF_8));
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** The public JWK, as registered with the vault. */
    public Map<String, String> publicJwk() {
        Map<String, String> jwk = new LinkedHashMap<>();
        jwk.put("kty", "OKP");
        jwk.put("crv", "Ed25519");
        jwk.put("x", B64URL.encodeToString(x));
        return jwk;
    }

    /** The JDK private key, for {@link org.vitalvault.crypto.JwsSigner}. */
    public PrivateKey privateKey() {
        byte[] pkcs8 = new byte[PKCS8_PREFIX.length + 32];
        System.arraycopy(PKCS8_PREFIX, 0, pkcs8, 0, PKCS8_PREFIX.length);
        System.arraycopy(d, 0, pkcs8, PKCS8_PREFIX.length, 32);
        try {
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("not a usable Ed25519 private key", e);
        }
    }

    @Override
    public byte[] x() {
        return x.clone();
    }

    @Override
    public byte[] d() {
        return d.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyFile k && Arrays.equals(x, k.x) && Arrays.equals(d, k.d);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(x);
    }

    /** Never the private half. */
    @Override
    public String toString() {
        return "KeyFile[x=" + B64URL.encodeToString(x) + "]";
    }
}
