package org.vitalvault.crypto;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.bouncycastle.crypto.digests.SHA256Digest;

/**
 * The vault's key-encryption key (KEK): a 32-byte AES-256 key that wraps owners' X25519 private
 * keys at rest.
 *
 * <p>Formats: the key file holds the key as standard base64 (one line). A wrapped owner key is
 * {@code 0x01 || nonce (12 random bytes) || AES-256-GCM ciphertext (32) || tag (16)} = 61 bytes,
 * with associated data {@code "vitalvault/v1/owner-key" (ASCII) || ownerId (16) || keyVersion
 * (i32 big-endian)}. {@link #kekId()} is the first 8 hex characters of SHA-256 of the raw key
 * ({@code base64 -d key | sha256sum | cut -c1-8}), so stored rows can say which KEK wrapped them.
 *
 * <p>Guarantees: a wrapped key is confidential and authenticated, and bound to its owner and key
 * version: unwrapping with another KEK, owner id or version throws {@link SealBrokenException},
 * so a row copied to another owner is useless. The key file is created atomically with mode 0600
 * and never replaced, and a file readable or writable by group or others is refused. Immutable and
 * thread-safe; {@link #toString()} shows only the kek id. Limits: the key lives in ordinary heap
 * memory; anyone who can read the file (root, backups) can unwrap every owner key; 32 bits of
 * kek id identify a key, they do not authenticate it.
 */
public final class MasterKey {

    /** Length in bytes of the AES-256 key. */
    public static final int KEY_LENGTH = 32;

    private static final byte[] WRAP_LABEL =
            "vitalvault/v1/owner-key".getBytes(StandardCharsets.US_ASCII);
    private static final String UNWRAP_FAILURE = "wrapped owner key failed authentication";
    // Fixed length, and different from WRAP_LABEL's: a wrapped private key never opens as an epoch key.
    private static final byte[] EPOCH_WRAP_LABEL =
            "vitalvault/v1/epoch-key\0".getBytes(StandardCharsets.US_ASCII);
    private static final String UNWRAP_EPOCH_FAILURE = "wrapped epoch key failed authentication";
    // Differs from both labels above within their common prefix, so no wrapped key opens as another kind.
    private static final byte[] SECRET_WRAP_LABEL =
            "vitalvault/v1/vault-secret\0".getBytes(StandardCharsets.US_ASCII);
    private static final String UNWRAP_SECRET_FAILURE = "wrapped vault secret failed authentication";
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR =
            PosixFilePermissions.fromString("rwx------");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] key;
    private final String kekId;

    private MasterKey(byte[] key) {
        this.key = key.clone();
        SHA256Digest sha = new SHA256Digest();
        sha.update(key, 0, key.length);
        byte[] digest = new byte[sha.getDigestSize()];
        sha.doFinal(digest, 0);
        this.kekId = HexFormat.of().formatHex(digest, 0, 4);
    }

    /**
     * Wraps raw key bytes (copied).
     *
     * @throws IllegalArgumentException if the key is not 32 bytes
     */
    public static MasterKey of(byte[] key) {
        Objects.requireNonNull(key, "key");
        if (key.length != KEY_LENGTH) {
            throw new IllegalArgumentException("master key must be 32 bytes");
        }
        return new MasterKey(key);
    }

    /**
     * Decodes a standard-base64 key, ignoring surrounding whitespace.
     *
     * @throws IllegalArgumentException if it is not base64 or does not decode to 32 bytes
     */
    public static MasterKey fromBase64(String base64) {
        Objects.requireNonNull(base64, "base64");
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            // The JDK's message quotes the offending character of the secret: drop it and the
            // cause.
            throw new IllegalArgumentException("master key is not valid base64");
        }
        try {
            return of(raw);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    /**
     * Loads the key from {@code file}, or creates the file (and missing parent directories, mode
     * 0700) with 32 fresh random bytes if it does not exist.
     *
     * <p>Creation writes a temporary file born with mode 0600 (never chmod-ed afterwards, so the
     * key is never briefly world-readable), fsyncs it, then publishes it with a hard link, which
     * fails rather than replaces if another process created the file first; in that case the
     * other process's key is loaded, so two racing starts cannot end up with different keys.
     *
     * @throws IOException if the file system is not POSIX, the existing file is accessible by
     *     group or others, or its content is not a base64 32-byte key
     */
    public static MasterKey loadOrCreate(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        if (!file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            throw new IOException("master key file needs a POSIX file system to enforce mode 0600: "
                    + file);
        }
        if (Files.exists(file)) {
            return load(file);
        }
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
        FileAttribute<Set<PosixFilePermission>> ownerOnly =
                PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE);
        byte[] raw = new byte[KEY_LENGTH];
        RANDOM.nextBytes(raw);
        byte[] encoded = Base64.getEncoder().encode(raw);
        Path tmp = Files.createTempFile(dir, ".masterkey-", ".tmp", ownerOnly);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(encoded));
                ch.write(ByteBuffer.wrap(new byte[] {'\n'}));
                ch.force(true);
            }
            try {
                Files.createLink(file, tmp);
            } catch (UnsupportedOperationException noHardLinks) {
                // Without REPLACE_EXISTING, move refuses to clobber an existing key.
                Files.move(tmp, file);
            }
            syncDirectory(dir);
            return of(raw);
        } catch (FileAlreadyExistsException lostRace) {
            return load(file);
        } finally {
            Files.deleteIfExists(tmp);
            Arrays.fill(raw, (byte) 0);
            Arrays.fill(encoded, (byte) 0);
        }
    }

    private static MasterKey load(Path file) throws IOException {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
        Set<PosixFilePermission> extra = EnumSet.copyOf(perms);
        extra.removeAll(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_EXECUTE));
        if (!extra.isEmpty()) {
            throw new IOException("refusing to load master key " + file + ": mode "
                    + PosixFilePermissions.toString(perms)
                    + " gives group/others access; run chmod 600 on it (and consider it exposed)");
        }
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        try {
            return fromBase64(text);
        } catch (IllegalArgumentException e) {
            throw new IOException(
                    "master key file " + file + " does not hold a base64 32-byte key");
        }
    }

    // Makes the new directory entry durable: losing the file after a crash would mean a new key
    // and every owner key wrapped under the old one unrecoverable. Best effort: not all
    // platforms allow opening a directory.
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Nothing more can be done portably; the file itself is already synced.
        }
    }

    /** First 8 hex characters of SHA-256 of the key: identifies, without revealing, the KEK. */
    public String kekId() {
        return kekId;
    }

    /**
     * Wraps an owner's 32-byte X25519 private key.
     *
     * @throws IllegalArgumentException if the private key is not 32 bytes
     */
    public byte[] wrap(byte[] ownerPrivateKey, UUID ownerId, int keyVersion) {
        Objects.requireNonNull(ownerPrivateKey, "ownerPrivateKey");
        if (ownerPrivateKey.length != X25519KeyPair.KEY_LENGTH) {
            throw new IllegalArgumentException("owner private key must be 32 bytes");
        }
        return VersionedGcm.seal(key, aad(ownerId, keyVersion), ownerPrivateKey);
    }

    /**
     * Unwraps an owner's private key wrapped by {@link #wrap} with the same KEK, owner id and
     * version.
     *
     * @throws SealBrokenException if the KEK, owner id or version differ, or the data was altered
     */
    public byte[] unwrap(byte[] wrapped, UUID ownerId, int keyVersion) {
        Objects.requireNonNull(wrapped, "wrapped");
        byte[] sk = VersionedGcm.open(key, aad(ownerId, keyVersion), wrapped, UNWRAP_FAILURE);
        if (sk.length != X25519KeyPair.KEY_LENGTH) {
            // Authentic but not something wrap() produced; refuse rather than guess.
            Arrays.fill(sk, (byte) 0);
            throw new SealBrokenException(UNWRAP_FAILURE);
        }
        return sk;
    }

    /**
     * Wraps the 16-byte data key of one of an owner's sealing epochs, so the vault can open what it
     * sealed under that epoch without an X25519 operation. As strong as wrapping the owner's
     * private key, which derives the same data key; bound to owner and epoch by its own label.
     */
    public byte[] wrapEpochKey(byte[] dataKey, UUID ownerId, UUID epochId) {
        Objects.requireNonNull(dataKey, "dataKey");
        if (dataKey.length != EpochKey.DATA_KEY_LENGTH) {
            throw new IllegalArgumentException("epoch data key must be 16 bytes");
        }
        return VersionedGcm.seal(key, epochAad(ownerId, epochId), dataKey);
    }

    /**
     * Unwraps an epoch data key wrapped by {@link #wrapEpochKey} with the same KEK, owner and epoch.
     *
     * @throws SealBrokenException if the KEK, owner or epoch differ, or the data was altered
     */
    public byte[] unwrapEpochKey(byte[] wrapped, UUID ownerId, UUID epochId) {
        Objects.requireNonNull(wrapped, "wrapped");
        byte[] dataKey = VersionedGcm.open(key, epochAad(ownerId, epochId), wrapped, UNWRAP_EPOCH_FAILURE);
        if (dataKey.length != EpochKey.DATA_KEY_LENGTH) {
            Arrays.fill(dataKey, (byte) 0);
            throw new SealBrokenException(UNWRAP_EPOCH_FAILURE);
        }
        return dataKey;
    }

    /**
     * Wraps one of the vault's own 32-byte secrets (such as the key subjects are hashed with), bound to
     * its {@code name}, so it can sit in the database next to what it protects and rotate with the KEK.
     *
     * @throws IllegalArgumentException if the secret is not 32 bytes
     */
    public byte[] wrapSecret(byte[] secret, String name) {
        Objects.requireNonNull(secret, "secret");
        if (secret.length != KEY_LENGTH) {
            throw new IllegalArgumentException("vault secret must be 32 bytes");
        }
        return VersionedGcm.seal(key, secretAad(name), secret);
    }

    /**
     * Unwraps a secret wrapped by {@link #wrapSecret} with the same KEK and name.
     *
     * @throws SealBrokenException if the KEK or name differ, or the data was altered
     */
    public byte[] unwrapSecret(byte[] wrapped, String name) {
        Objects.requireNonNull(wrapped, "wrapped");
        byte[] secret = VersionedGcm.open(key, secretAad(name), wrapped, UNWRAP_SECRET_FAILURE);
        if (secret.length != KEY_LENGTH) {
            Arrays.fill(secret, (byte) 0);
            throw new SealBrokenException(UNWRAP_SECRET_FAILURE);
        }
        return secret;
    }

    private static byte[] secretAad(String name) {
        Objects.requireNonNull(name, "name");
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(SECRET_WRAP_LABEL.length + n.length).put(SECRET_WRAP_LABEL).put(n).array();
    }

    private static byte[] epochAad(UUID ownerId, UUID epochId) {
        Objects.requireNonNull(ownerId, "ownerId");
        Objects.requireNonNull(epochId, "epochId");
        return ByteBuffer.allocate(EPOCH_WRAP_LABEL.length + 32)
                .put(EPOCH_WRAP_LABEL)
                .putLong(ownerId.getMostSignificantBits())
                .putLong(ownerId.getLeastSignificantBits())
                .putLong(epochId.getMostSignificantBits())
                .putLong(epochId.getLeastSignificantBits())
                .array();
    }

    private static byte[] aad(UUID ownerId, int keyVersion) {
        Objects.requireNonNull(ownerId, "ownerId");
        return ByteBuffer.allocate(WRAP_LABEL.length + 16 + 4)
                .put(WRAP_LABEL)
                .putLong(ownerId.getMostSignificantBits())
                .putLong(ownerId.getLeastSignificantBits())
                .putInt(keyVersion)
                .array();
    }

    @Override
    public String toString() {
        return "MasterKey[kekId=" + kekId + "]";
    }
}
