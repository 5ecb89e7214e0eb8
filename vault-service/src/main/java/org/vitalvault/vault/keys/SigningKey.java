package org.vitalvault.vault.keys;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Set;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.vitalvault.crypto.JwsSigner;

/**
 * The vault's Ed25519 signing key and the one way it signs: a JWS in compact serialization
 * (RFC 7515) with the protected header {@code {"alg":"EdDSA","kid":…,"typ":…}} (RFC 8037), which
 * any JOSE library — or {@link org.vitalvault.crypto.JwsVerifier} — verifies against the vault's
 * published JWK ({@code GET /vault/keys}).
 *
 * <p>Formats: the key file holds the PKCS#8 encoding of the private key as standard base64 (one
 * line), {@code openssl genpkey -algorithm ed25519 -outform DER | base64 -w0} makes one. {@link
 * #kid()} is the first 16 hex characters of SHA-256 of the raw 32-byte public key.
 *
 * <p>Guarantees: the file is created atomically with mode 0600, never replaced, and refused when
 * group or others may access it (the same rules as the master key). Immutable, thread-safe; {@link
 * #toString()} shows only the kid. Limits: the private key lives in ordinary heap memory; anyone
 * who reads the file can sign as the vault; there is one key at a time (a rotation publishes a new
 * kid, and receipts signed by the old key then need the old JWK, kept by whoever holds them).
 */
public final class SigningKey {

    private static final Set<PosixFilePermission> OWNER_ONLY_FILE =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    private final PrivateKey privateKey;
    private final byte[] publicKey;
    private final String kid;

    private SigningKey(PrivateKey privateKey) {
        this.privateKey = privateKey;
        byte[] seed = ((EdECPrivateKey) privateKey).getBytes()
                .orElseThrow(() -> new IllegalArgumentException("signing key has no private key bytes"));
        try {
            this.publicKey = new Ed25519PrivateKeyParameters(seed, 0).generatePublicKey().getEncoded();
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
        this.kid = HexFormat.of().formatHex(sha256(publicKey), 0, 8);
    }

    /** A fresh random key. */
    public static SigningKey generate() {
        try {
            return new SigningKey(KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no Ed25519", e);
        }
    }

    /**
     * Decodes a standard-base64 PKCS#8 Ed25519 private key, ignoring surrounding whitespace.
     *
     * @throws IllegalArgumentException if it is not base64 or not an Ed25519 PKCS#8 key
     */
    public static SigningKey fromBase64(String base64) {
        Objects.requireNonNull(base64, "base64");
        byte[] der;
        try {
            der = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            // The JDK's message quotes the offending character of the secret: drop it.
            throw new IllegalArgumentException("signing key is not valid base64");
        }
        try {
            return new SigningKey(KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der)));
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IllegalArgumentException("signing key is not a PKCS#8 Ed25519 private key");
        } finally {
            Arrays.fill(der, (byte) 0);
        }
    }

    /**
     * Loads the key from {@code file}, or creates the file (mode 0600; missing parent directories
     * mode 0700) with a fresh key if it does not exist. Two racing starts load the same key: the
     * file is published with a hard link, which fails rather than replaces.
     *
     * @throws IOException if the file system is not POSIX, the existing file is accessible by group
     *     or others, or its content is not a base64 PKCS#8 Ed25519 key
     */
    public static SigningKey loadOrCreate(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        if (!file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            throw new IOException("signing key file needs a POSIX file system to enforce mode 0600: " + file);
        }
        if (Files.exists(file)) {
            return load(file);
        }
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        SigningKey key = generate();
        byte[] der = key.privateKey.getEncoded();
        byte[] encoded = Base64.getEncoder().encode(der);
        Arrays.fill(der, (byte) 0);
        Path tmp = Files.createTempFile(dir, ".signingkey-", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(encoded));
                ch.write(ByteBuffer.wrap(new byte[] {'\n'}));
                ch.force(true);
            }
            try {
                Files.createLink(file, tmp);
            } catch (UnsupportedOperationException noHardLinks) {
                Files.move(tmp, file);
            }
            syncDirectory(dir);
            return key;
        } catch (FileAlreadyExistsException lostRace) {
            return load(file);
        } finally {
            Files.deleteIfExists(tmp);
            Arrays.fill(encoded, (byte) 0);
        }
    }

    /**
     * Loads an existing key file.
     *
     * @throws IOException if it cannot be read, is accessible by group or others, or is not a key
     */
    public static SigningKey load(Path file) throws IOException {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
        Set<PosixFilePermission> extra = EnumSet.copyOf(perms);
        extra.removeAll(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_EXECUTE));
        if (!extra.isEmpty()) {
            throw new IOException("refusing to load signing key " + file + ": mode " + PosixFilePermissions.toString(perms)
                    + " gives group/others access; run chmod 600 on it (and consider it exposed)");
        }
        try {
            return fromBase64(Files.readString(file, StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            throw new IOException("signing key file " + file + " does not hold a base64 PKCS#8 Ed25519 key");
        }
    }

    // Best effort: makes the new directory entry durable where the platform allows it.
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // the file itself is synced; nothing more can be done portably
        }
    }

    /**
     * Signs {@code payload} as a compact JWS whose header names this key's kid and {@code typ}.
     *
     * @param typ the document type, e.g. {@code vitalvault.erasure-receipt}; letters, digits and
     *     {@code . + / -}, at most 64 characters
     * @throws IllegalArgumentException if {@code typ} has other characters
     */
    public String sign(String typ, byte[] payload) {
        return JwsSigner.sign(privateKey, kid, typ, payload);
    }

    /**
     * The plain Ed25519 signature (RFC 8032, 64 bytes) of a signed note's text (C2SP signed-note:
     * the transparency log's checkpoints). Deterministic: the same text always gets the same
     * signature, so replicas signing the same checkpoint produce the same note.
     *
     * <p>Only newline-terminated text is signed: a JWS signing input ({@code base64url.base64url})
     * never holds a newline, so no note signature can pass for the signature of a receipt, nor the
     * other way round, though one key signs both.
     *
     * @throws IllegalArgumentException if {@code text} does not end with a newline
     */
    public byte[] signNoteText(byte[] text) {
        if (text.length == 0 || text[text.length - 1] != '\n') {
            throw new IllegalArgumentException("a signed note's text ends with a newline");
        }
        try {
            java.security.Signature ed = java.security.Signature.getInstance("Ed25519");
            ed.initSign(privateKey);
            ed.update(text);
            return ed.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot sign with Ed25519", e);
        }
    }

    /** The raw 32-byte public key (RFC 8032), a copy. */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** First 16 hex characters of SHA-256 of the raw public key. */
    public String kid() {
        return kid;
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "SigningKey[kid=" + kid + "]";
    }
}
