package org.vitalvault.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.vitalvault.reading.Reading;

class SegmentCodecTest {

    private static final UUID WATCH = new UUID(0x1111, 1);
    private static final UUID CHEST_STRAP = new UUID(0x2222, 2);

    @Test
    void anHourOfOneHertzWholeBeatsTakesUnderTwoBytesAReading() {
        for (long seed = 1; seed <= 20; seed++) {
            List<Reading> hour = Series.heartRateHour(new Random(seed), WATCH, Series.SOME_HOUR);
            byte[] segment = SegmentCodec.encode(hour);
            // Measured 1.61 bytes a reading for each of these seeds (the target was at most 3).
            assertTrue(segment.length < 2.0 * hour.size(), "seed " + seed + ": " + segment.length + " bytes");
            assertTrue(Series.identical(hour, SegmentCodec.decode(segment)));
        }
    }

    @Test
    void aSteadyOneHertzClockCostsOneBitATimestamp() {
        // Constant value and receive delay: what is left per reading is the time code's one bit
        // and a one-bit offset and value code each, plus the first readings' escapes.
        List<Reading> hour = new ArrayList<>();
        for (int i = 0; i < 3600; i++) {
            long t = Series.SOME_HOUR + i * 1000L;
            hour.add(new Reading(WATCH, t, t + 40, 72));
        }
        byte[] segment = SegmentCodec.encode(hour);
        assertTrue(segment.length <= 3600 * 3 / 8 + 64, segment.length + " bytes");
        assertTrue(Series.identical(hour, SegmentCodec.decode(segment)));
    }

    @Test
    void bodyTemperatureWithOneDecimalIsStoredAsScaledWholeNumbers() {
        List<Reading> hour = Series.walk(new Random(7), WATCH, Series.SOME_HOUR, 1000, 35.0, 40.0, 36.6, 1, 0.1, 1);
        assertTrue(hour.stream().anyMatch(r -> r.value() == 36.6));
        byte[] segment = SegmentCodec.encode(hour);
        assertEquals(1, modeOf(segment), "one decimal place");
        assertTrue(segment.length < 2.0 * hour.size(), segment.length + " bytes");
        assertTrue(Series.identical(hour, SegmentCodec.decode(segment)));
    }

    @Test
    void glucoseConvertedFromMillimolesRoundTripsExactly() {
        // 5.4 mmol/L arrives as 5.4 × 18.0156 mg/dL: not a short decimal, so whichever column the
        // encoder picks, the stored double must come back bit for bit.
        List<Reading> readings = new ArrayList<>();
        Random random = new Random(3);
        for (int i = 0; i < 12; i++) {
            long t = Series.SOME_HOUR + i * 300_000L;
            double mmol = (40 + random.nextInt(60)) / 10.0;
            readings.add(new Reading(WATCH, t, t + 900, mmol * 18.0156));
        }
        readings.add(new Reading(WATCH, Series.SOME_HOUR + 1, Series.SOME_HOUR + 2, 5.4 * 18.0156));
        assertTrue(Series.identical(Series.expected(readings), SegmentCodec.decode(SegmentCodec.encode(readings))));
    }

    @Test
    void valuesWithoutAShortDecimalFormFallBackToXorAndRoundTripExactly() {
        List<Reading> readings = List.of(
                new Reading(WATCH, 1000, 1010, 0.1 + 0.2),
                new Reading(WATCH, 2000, 2010, -0.0),
                new Reading(WATCH, 3000, 3010, Double.MIN_VALUE),
                new Reading(WATCH, 4000, 4010, Double.MAX_VALUE),
                new Reading(WATCH, 5000, 5010, -Double.MIN_NORMAL),
                new Reading(WATCH, 6000, 6010, 0.0));
        byte[] segment = SegmentCodec.encode(readings);
        assertEquals(255, modeOf(segment));
        assertTrue(Series.identical(readings, SegmentCodec.decode(segment)));
    }

    @Test
    void duplicatesOfTheSameDeviceAndTimeAreStoredOnceKeepingTheFirstReceived() {
        List<Reading> readings = List.of(
                new Reading(WATCH, 5000, 5900, 71),
                new Reading(WATCH, 5000, 5100, 72),   // received earlier: this one is kept
                new Reading(WATCH, 5000, 5100, 73),   // same received time, later in the list: dropped
                new Reading(CHEST_STRAP, 5000, 5200, 70)); // another device at the same time: kept
        List<Reading> decoded = SegmentCodec.decode(SegmentCodec.encode(readings));
        assertEquals(List.of(new Reading(WATCH, 5000, 5100, 72), new Reading(CHEST_STRAP, 5000, 5200, 70)), decoded);
    }

    @Test
    void outOfOrderInputDecodesSortedByDeviceTime() {
        List<Reading> hour = Series.heartRateHour(new Random(11), WATCH, Series.SOME_HOUR);
        List<Reading> shuffled = new ArrayList<>(hour);
        Collections.shuffle(shuffled, new Random(12));
        assertArrayEquals(SegmentCodec.encode(hour), SegmentCodec.encode(shuffled));
        assertTrue(Series.identical(hour, SegmentCodec.decode(SegmentCodec.encode(shuffled))));
    }

    @Test
    void twoInterleavedDevicesCostLittleMoreThanEachAlone() {
        List<Reading> watch = Series.heartRateHour(new Random(21), WATCH, Series.SOME_HOUR);
        List<Reading> strap = new ArrayList<>();
        for (Reading r : Series.heartRateHour(new Random(22), CHEST_STRAP, Series.SOME_HOUR)) {
            strap.add(new Reading(r.deviceId(), r.deviceTimeMillis() + 317, r.receivedTimeMillis() + 317, r.value()));
        }
        List<Reading> both = new ArrayList<>(watch);
        both.addAll(strap);
        byte[] segment = SegmentCodec.encode(both);
        int alone = SegmentCodec.encode(watch).length + SegmentCodec.encode(strap).length;
        // One device-index bit a reading, plus one more table entry.
        assertTrue(segment.length <= alone + both.size() / 8 + 40, segment.length + " vs " + alone);
        assertTrue(Series.identical(Series.expected(both), SegmentCodec.decode(segment)));
    }

    @Test
    void anEmptySegmentRoundTrips() {
        byte[] segment = SegmentCodec.encode(List.of());
        assertEquals(3, segment.length); // version, no devices, no readings
        assertEquals(List.of(), SegmentCodec.decode(segment));
    }

    @Test
    void mergingAddsNewReadingsAndKeepsStoredCopiesOfDuplicates() {
        byte[] stored = SegmentCodec.encode(List.of(new Reading(WATCH, 1000, 1100, 60), new Reading(WATCH, 2000, 2100, 61)));
        byte[] merged = SegmentCodec.merge(stored, List.of(
                new Reading(WATCH, 2000, 2100, 99),   // same identity, same received time: stored copy wins
                new Reading(WATCH, 3000, 3050, 62),
                new Reading(CHEST_STRAP, 1500, 1600, 58)));
        assertEquals(List.of(new Reading(WATCH, 1000, 1100, 60), new Reading(CHEST_STRAP, 1500, 1600, 58),
                new Reading(WATCH, 2000, 2100, 61), new Reading(WATCH, 3000, 3050, 62)), SegmentCodec.decode(merged));
    }

    @Test
    void extremeTimesAndNegativeReceiveDelaysRoundTrip() {
        List<Reading> readings = List.of(
                new Reading(WATCH, Long.MIN_VALUE, Long.MAX_VALUE, 1),
                new Reading(WATCH, -1, Long.MIN_VALUE, 2),
                new Reading(CHEST_STRAP, 0, -5_000, 3),
                new Reading(WATCH, Long.MAX_VALUE, 0, 4));
        assertTrue(Series.identical(readings, SegmentCodec.decode(SegmentCodec.encode(readings))));
    }

    @Test
    void truncatedInputFailsWithSegmentFormatException() {
        byte[] segment = SegmentCodec.encode(Series.heartRateHour(new Random(5), WATCH, Series.SOME_HOUR));
        for (int length = 0; length < segment.length; length++) {
            byte[] cut = Arrays.copyOf(segment, length);
            assertThrows(SegmentFormatException.class, () -> SegmentCodec.decode(cut), "length " + length);
        }
    }

    @Test
    void trailingBytesFailWithSegmentFormatException() {
        byte[] segment = SegmentCodec.encode(List.of(new Reading(WATCH, 1000, 1100, 60)));
        byte[] longer = Arrays.copyOf(segment, segment.length + 1);
        assertThrows(SegmentFormatException.class, () -> SegmentCodec.decode(longer));
    }

    @Test
    void aReadingCountLargerThanTheBytesCouldHoldFailsBeforeAllocating() {
        // Version 1, one device, then a count of 2^31 − 1 readings with three bytes left for them.
        byte[] bytes = new byte[1 + 1 + 16 + 5 + 3];
        bytes[0] = 1;
        bytes[1] = 1;
        byte[] count = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07};
        System.arraycopy(count, 0, bytes, 18, 5);
        SegmentFormatException e = assertThrows(SegmentFormatException.class, () -> SegmentCodec.decode(bytes));
        assertTrue(e.getMessage().contains("reading count"), e.getMessage());
    }

    @Test
    void anUnknownVersionFailsWithSegmentFormatException() {
        byte[] segment = SegmentCodec.encode(List.of(new Reading(WATCH, 1000, 1100, 60)));
        segment[0] = 2;
        assertThrows(SegmentFormatException.class, () -> SegmentCodec.decode(segment));
    }

    @Test
    void formatErrorsNameTheProblemNotAValue() {
        byte[] segment = SegmentCodec.encode(List.of(new Reading(WATCH, 1000, 1100, 123.25)));
        SegmentFormatException e = assertThrows(SegmentFormatException.class,
                () -> SegmentCodec.decode(Arrays.copyOf(segment, segment.length - 1)));
        assertFalse(e.getMessage().contains("123"));
    }

    /** The value-mode byte sits right after the device table, the reading count and T0. */
    private static int modeOf(byte[] segment) {
        int devices = segment[1];
        int p = 2 + devices * 16;
        while ((segment[p++] & 0x80) != 0) { } // reading count
        while ((segment[p++] & 0x80) != 0) { } // T0
        return segment[p] & 0xFF;
    }
}
