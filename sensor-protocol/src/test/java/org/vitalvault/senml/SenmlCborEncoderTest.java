package org.vitalvault.senml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class SenmlCborEncoderTest {

    private final SenmlCborEncoder encoder = new SenmlCborEncoder();

    @Test
    void writesIntegerLabelsWithBaseFieldsInTheFirstRecordAndCompactNumbers() {
        // [{-2: "d:", -3: 1780000000, -4: "%", 0: "a", 2: 1.5}, {0: "b", 2: 97, 6: 2}]
        byte[] expected = TestPacks.hex("82"
                + " a5 21 62 643a 22 1a 6a18a500 23 61 25 00 61 61 02 f9 3e00"
                + " a3 00 61 62 02 18 61 06 02");
        assertArrayEquals(expected, encoder.encode(List.of(new SenmlRecord("d:a", "%", 1.5, 1_780_000_000d),
                new SenmlRecord("d:b", "%", 97, 1_780_000_002d))));
    }

    @Test
    void invalidInputIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> encoder.encode(List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> encoder.encode(List.of(new SenmlRecord("hr", null, Double.POSITIVE_INFINITY, 1.78e9))));
    }
}
