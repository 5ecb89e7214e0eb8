package org.vitalvault.tlog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class AuditCommitmentTest {

    private static final byte[] SALT = new byte[32];
    private static final byte[] ENTRY = "{\"v\":1}".getBytes(StandardCharsets.UTF_8);

    static {
        for (int i = 0; i < 32; i++) {
            SALT[i] = (byte) i;
        }
    }

    @Test
    void fixedVector() {
        // python3: sha256(b'vitalvault-audit-entry-v1' + b'\x00' + bytes(range(32)) + b'{"v":1}')
        assertEquals("f0dc6f4e578c1b96cd8eee77e030505037244846b4680c5b6e78416dfcb501da",
                HexFormat.of().formatHex(AuditCommitment.of(SALT, ENTRY)));
        // and its leaf hash, sha256(b'\x00' + commitment)
        assertEquals("c0cdcd692e803b0985aacccdf9bc93a20fb2f50c83735e2eab1725cd538ed8f7",
                HexFormat.of().formatHex(MerkleHash.leaf(AuditCommitment.of(SALT, ENTRY))));
    }

    @Test
    void anotherSaltOrAnotherByteGivesAnotherCommitment() {
        byte[] salt = SALT.clone();
        salt[31] ^= 1;
        assertFalse(Arrays.equals(AuditCommitment.of(SALT, ENTRY), AuditCommitment.of(salt, ENTRY)));
        byte[] entry = ENTRY.clone();
        entry[2] ^= 1;
        assertFalse(Arrays.equals(AuditCommitment.of(SALT, ENTRY), AuditCommitment.of(SALT, entry)));
        assertArrayEquals(AuditCommitment.of(SALT, ENTRY), AuditCommitment.of(SALT.clone(), ENTRY.clone()));
    }

    @Test
    void aSaltIs32FreshBytes() {
        assertEquals(32, AuditCommitment.newSalt().length);
        assertFalse(Arrays.equals(AuditCommitment.newSalt(), AuditCommitment.newSalt()));
        assertThrows(IllegalArgumentException.class, () -> AuditCommitment.of(new byte[31], ENTRY));
        assertThrows(IllegalArgumentException.class, () -> AuditCommitment.of(new byte[33], ENTRY));
    }

    @Test
    void saltsDrawnTogetherAreEachTheirOwn32Bytes() {
        byte[][] salts = AuditCommitment.newSalts(1000);
        assertEquals(1000, salts.length);
        java.util.Set<String> distinct = new java.util.HashSet<>();
        for (byte[] salt : salts) {
            assertEquals(32, salt.length);
            distinct.add(HexFormat.of().formatHex(salt));
        }
        assertEquals(1000, distinct.size());
        assertEquals(0, AuditCommitment.newSalts(0).length);
    }
}
