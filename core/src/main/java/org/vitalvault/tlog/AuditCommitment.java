package org.vitalvault.tlog;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * What a leaf of the audit log holds: a salted commitment to one entry,
 * {@code SHA-256("vitalvault-audit-entry-v1" || 0x00 || salt || entry)} with a fresh 32-byte salt.
 * Without the salt the commitment says nothing about the entry (its bytes are guessable — an owner
 * id, a lease id, a time — but the 256-bit salt is not), so tree heads and proofs are public; the
 * owner receives entry and salt and recomputes it. The log's leaf hash is then
 * {@code MerkleHash.leaf(commitment)}.
 */
public final class AuditCommitment {

    /** Bytes in a salt. */
    public static final int SALT_SIZE = 32;

    private static final byte[] DOMAIN = "vitalvault-audit-entry-v1".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    private AuditCommitment() {
    }

    /** A fresh random salt. */
    public static byte[] newSalt() {
        byte[] salt = new byte[SALT_SIZE];
        RANDOM.nextBytes(salt);
        return salt;
    }

    /**
     * {@code n} fresh random salts from one call to the generator: a research query salts one entry
     * per included owner, and a call per salt (each taking the generator's lock and mixing its own
     * output) was a tenth of the appender's CPU (deploy/bench/audit.sh, issue 17).
     */
    public static byte[][] newSalts(int n) {
        byte[] all = new byte[SALT_SIZE * n];
        RANDOM.nextBytes(all);
        byte[][] salts = new byte[n][];
        for (int i = 0; i < n; i++) {
            salts[i] = Arrays.copyOfRange(all, i * SALT_SIZE, (i + 1) * SALT_SIZE);
        }
        Arrays.fill(all, (byte) 0);
        return salts;
    }

    /** The commitment to {@code entry} under {@code salt}. */
    public static byte[] of(byte[] salt, byte[] entry) {
        if (salt.length != SALT_SIZE) {
            throw new IllegalArgumentException("a salt has " + SALT_SIZE + " bytes");
        }
        MessageDigest d = MerkleHash.sha256();
        d.update(DOMAIN);
        d.update((byte) 0x00);
        d.update(salt);
        d.update(entry);
        return d.digest();
    }
}
