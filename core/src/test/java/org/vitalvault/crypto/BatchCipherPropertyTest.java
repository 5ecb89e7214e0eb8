package org.vitalvault.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.time.Instant;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

class BatchCipherPropertyTest {

    @Property(tries = 200)
    void anyPlaintextSurvivesASealOpenRoundTrip(
            @ForAll @Size(max = 4096) byte[] plaintext,
            @ForAll @Size(value = 16) byte[] dataKey,
            @ForAll("metric") String metric,
            @ForAll long bucketSecond) {
        BatchAad aad = new BatchAad(UUID.randomUUID(), metric,
                Instant.ofEpochSecond(bucketSecond % 10_000_000_000L), UUID.randomUUID());
        assertArrayEquals(plaintext,
                BatchCipher.open(dataKey, aad, BatchCipher.seal(dataKey, aad, plaintext)));
    }

    @Provide
    Arbitrary<String> metric() {
        return Arbitraries.strings().alpha().numeric().withChars('_')
                .withCharRange('\u00e0', '\u00ff').ofMaxLength(40);
    }
}
