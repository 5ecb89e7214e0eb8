package org.vitalvault.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class X25519KeyPairTest {

    private final X25519KeyPair pair = X25519KeyPair.generate(new SecureRandom());

    @Test
    void generatedPublicKeyBelongsToThePrivateKey() {
        assertArrayEquals(pair.publicKey(), X25519KeyPair.publicKeyOf(pair.privateKey()));
    }

    @Test
    void keysOfTheWrongLengthAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new X25519KeyPair(new byte[31], new byte[32]));
        assertThrows(IllegalArgumentException.class,
                () -> new X25519KeyPair(new byte[32], new byte[33]));
        assertThrows(IllegalArgumentException.class, () -> X25519KeyPair.publicKeyOf(new byte[16]));
    }

    @Test
    void callersCannotMutateThePair() {
        byte[] sk = pair.privateKey();
        sk[0] ^= 1;
        assertFalse(sk[0] == pair.privateKey()[0]);
    }

    @Test
    void pairsWithTheSameBytesAreEqual() {
        assertEquals(pair, new X25519KeyPair(pair.publicKey(), pair.privateKey()));
    }

    @Test
    void toStringRedactsThePrivateKey() {
        assertEquals("X25519KeyPair[publicKey=" + HexFormat.of().formatHex(pair.publicKey())
                + ", privateKey=<redacted>]", pair.toString());
    }
}
