package org.vitalvault.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class BatchCipherTest {

    private static final byte[] PLAINTEXT = "72 bpm at 08:00".getBytes(StandardCharsets.UTF_8);

    private final byte[] dataKey = new byte[16];
    private final BatchAad aad = new BatchAad(
            UUID.randomUUID(), "heart_rate", Instant.parse("2025-01-01T08:00:00Z"),
            UUID.randomUUID());

    BatchCipherTest() {
        new SecureRandom().nextBytes(dataKey);
    }

    @Test
    void openReturnsWhatWasSealed() {
        byte[] sealed = BatchCipher.seal(dataKey, aad, PLAINTEXT);
        assertEquals(PLAINTEXT.length + BatchCipher.OVERHEAD, sealed.length);
        assertEquals(BatchCipher.FORMAT_VERSION, sealed[0]);
        assertArrayEquals(PLAINTEXT, BatchCipher.open(dataKey, aad, sealed));
    }

    @Test
    void aReusedBatchSealerSealsEachBatchUnderAFreshNonceInTheSameFormat() {
        BatchSealer sealer = new BatchSealer(dataKey);
        BatchAad other = new BatchAad(UUID.randomUUID(), "spo2", aad.bucket(), aad.epochId());
        byte[] first = sealer.seal(aad, PLAINTEXT);
        byte[] second = sealer.seal(other, PLAINTEXT);
        byte[] third = sealer.seal(aad, PLAINTEXT);
        assertArrayEquals(PLAINTEXT, BatchCipher.open(dataKey, aad, first));
        assertArrayEquals(PLAINTEXT, BatchCipher.open(dataKey, other, second));
        assertArrayEquals(PLAINTEXT, BatchCipher.open(dataKey, aad, third));
        assertFalse(Arrays.equals(Arrays.copyOfRange(first, 1, 13), Arrays.copyOfRange(third, 1, 13)),
                "nonce reused");
        assertThrows(IllegalArgumentException.class, () -> new BatchSealer(new byte[32]));
    }

    @Test
    void changingAnyAadFieldMakesOpenFail() {
        byte[] sealed = BatchCipher.seal(dataKey, aad, PLAINTEXT);
        BatchAad[] altered = {
            new BatchAad(UUID.randomUUID(), aad.metric(), aad.bucket(), aad.epochId()),
            new BatchAad(aad.ownerId(), "heart_rate_variability", aad.bucket(), aad.epochId()),
            new BatchAad(aad.ownerId(), aad.metric(), aad.bucket().plusSeconds(60), aad.epochId()),
            new BatchAad(aad.ownerId(), aad.metric(), aad.bucket(), UUID.randomUUID()),
        };
        for (BatchAad other : altered) {
            assertThrows(SealBrokenException.class, () -> BatchCipher.open(dataKey, other, sealed),
                    other::toString);
        }
    }

    @Test
    void flippingAnyByteMakesOpenFail() {
        byte[] sealed = BatchCipher.seal(dataKey, aad, PLAINTEXT);
        for (int i = 0; i < sealed.length; i++) {
            byte[] tampered = sealed.clone();
            tampered[i] ^= 0x01;
            assertThrows(SealBrokenException.class, () -> BatchCipher.open(dataKey, aad, tampered),
                    "byte " + i);
        }
    }

    @Test
    void aWrongKeyMakesOpenFail() {
        byte[] sealed = BatchCipher.seal(dataKey, aad, PLAINTEXT);
        byte[] otherKey = dataKey.clone();
        otherKey[0] ^= 1;
        assertThrows(SealBrokenException.class, () -> BatchCipher.open(otherKey, aad, sealed));
    }

    @Test
    void truncatedInputAndUnknownVersionFailWithTheSameMessage() {
        byte[] sealed = BatchCipher.seal(dataKey, aad, PLAINTEXT);
        byte[] unknownVersion = sealed.clone();
        unknownVersion[0] = 0x02;
        byte[][] broken = {new byte[0], Arrays.copyOf(sealed, BatchCipher.OVERHEAD - 1),
            unknownVersion};
        for (byte[] b : broken) {
            SealBrokenException e = assertThrows(SealBrokenException.class,
                    () -> BatchCipher.open(dataKey, aad, b));
            assertEquals("sealed batch failed authentication", e.getMessage());
        }
    }

    @Test
    void twoSealsOfTheSamePlaintextDiffer() {
        assertFalse(Arrays.equals(
                BatchCipher.seal(dataKey, aad, PLAINTEXT),
                BatchCipher.seal(dataKey, aad, PLAINTEXT)));
    }

    @Test
    void emptyPlaintextRoundTrips() {
        assertArrayEquals(new byte[0],
                BatchCipher.open(dataKey, aad, BatchCipher.seal(dataKey, aad, new byte[0])));
    }

    @Test
    void aadEncodingIsTheDocumentedLayout() {
        UUID owner = new UUID(0x0102030405060708L, 0x090a0b0c0d0e0f10L);
        UUID epoch = new UUID(-1L, 0L);
        byte[] bytes = new BatchAad(owner, "hr", Instant.ofEpochSecond(256), epoch).bytes();
        String expected = "vitalvault/v1/batch";
        byte[] label = Arrays.copyOf(bytes, expected.length());
        assertArrayEquals(expected.getBytes(StandardCharsets.US_ASCII), label);
        assertEquals("0102030405060708090a0b0c0d0e0f10" + "0002" + "6872"
                        + "0000000000000100" + "ffffffffffffffff0000000000000000",
                HexFormat.of().formatHex(bytes, expected.length(), bytes.length));
    }

    @Test
    void aadRejectsWhatItCannotEncodeUnambiguously() {
        UUID id = UUID.randomUUID();
        assertThrows(IllegalArgumentException.class,
                () -> new BatchAad(id, "hr", Instant.ofEpochSecond(1, 500), id));
        assertThrows(IllegalArgumentException.class,
                () -> new BatchAad(id, "\uD800", Instant.EPOCH, id));
        assertThrows(IllegalArgumentException.class,
                () -> new BatchAad(id, "x".repeat(65536), Instant.EPOCH, id));
    }

    @Test
    void keysOfTheWrongLengthAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> BatchCipher.seal(new byte[32], aad, PLAINTEXT));
    }
}
