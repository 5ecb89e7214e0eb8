package org.vitalvault.senml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SenmlJsonEncoderTest {

    private static final double T0 = 1_780_000_000.25;
    private final SenmlJsonEncoder encoder = new SenmlJsonEncoder();

    private String encode(SenmlRecord... records) {
        return new String(encoder.encode(List.of(records)), StandardCharsets.UTF_8);
    }

    @Test
    void baseNameTimeAndUnitAreFactoredIntoTheFirstRecord() {
        assertEquals("[{\"bn\":\"urn:dev:ow:1:\",\"bt\":1.78000000025e9,\"bu\":\"/min\",\"n\":\"heart_rate\",\"v\":61},"
                        + "{\"n\":\"heart_rate\",\"v\":62,\"t\":5},"
                        + "{\"n\":\"spo2\",\"u\":\"%\",\"v\":97.5,\"t\":-0.25}]",
                encode(new SenmlRecord("urn:dev:ow:1:heart_rate", "/min", 61, T0),
                        new SenmlRecord("urn:dev:ow:1:heart_rate", "/min", 62, T0 + 5),
                        new SenmlRecord("urn:dev:ow:1:spo2", "%", 97.5, T0 - 0.25)));
    }

    @Test
    void baseNameStopsAtTheLastSeparatorOfTheCommonPrefix() {
        assertEquals("[{\"bn\":\"dev/\",\"bt\":1780000000,\"n\":\"hr_a\",\"v\":1},{\"n\":\"hr_b\",\"v\":2}]",
                encode(new SenmlRecord("dev/hr_a", null, 1, 1.78e9), new SenmlRecord("dev/hr_b", null, 2, 1.78e9)));
    }

    @Test
    void baseUnitIsNotFactoredWhenARecordHasNoUnit() {
        assertEquals("[{\"bt\":1780000000,\"n\":\"a\",\"u\":\"Cel\",\"v\":1},{\"n\":\"b\",\"v\":2}]",
                encode(new SenmlRecord("a", "Cel", 1, 1.78e9), new SenmlRecord("b", null, 2, 1.78e9)));
    }

    @Test
    void relativeTimesAreWrittenAsGivenWithoutBaseTime() {
        assertEquals("[{\"n\":\"a\",\"v\":1,\"t\":-5},{\"n\":\"a\",\"v\":2,\"t\":0}]",
                encode(new SenmlRecord("a", null, 1, -5), new SenmlRecord("a", null, 2, 0)));
    }

    @Test
    void exponentIsLowerCaseAsRfc8428Requires() {
        String json = encode(new SenmlRecord("a", null, 1.5e-7, 2.5e15));
        assertEquals("[{\"bt\":2.5e15,\"n\":\"a\",\"v\":1.5e-7}]", json);
        assertFalse(json.contains("E"));
    }

    @Test
    void invalidNameIsRefusedWithoutEchoingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> encoder.encode(List.of(new SenmlRecord("heart rate", null, 61, 1.78e9))));
        assertFalse(e.getMessage().contains("heart rate"));
    }

    @Test
    void nonFiniteValueIsRefusedWithoutEchoingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> encoder.encode(List.of(new SenmlRecord("hr", null, Double.NaN, 1.78e9))));
        assertFalse(e.getMessage().contains("NaN"));
    }

    @Test
    void emptyPackIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> encoder.encode(List.of()));
    }
}
