package org.vitalvault.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.vitalvault.metric.Metric;
import org.vitalvault.metric.MetricCatalogue;
import org.vitalvault.reading.Reading;

class HourRollupTest {

    private static final MetricCatalogue CATALOGUE = MetricCatalogue.standard();
    private static final Metric HEART_RATE = CATALOGUE.byCode("heart_rate").orElseThrow();
    private static final Metric TEMPERATURE = CATALOGUE.byCode("body_temperature").orElseThrow();
    private static final UUID DEVICE = new UUID(7, 7);

    @Property(tries = 300)
    void rollupOfAUnionEqualsMergeOfRollups(@ForAll("heartRates") List<Reading> a, @ForAll("heartRates") List<Reading> b) {
        List<Reading> union = new ArrayList<>(a);
        union.addAll(b);
        // Whole-number values keep every partial sum exact, so even the sums agree exactly.
        assertEquals(HourRollup.of(HEART_RATE, union), HourRollup.of(HEART_RATE, a).merge(HourRollup.of(HEART_RATE, b)));
    }

    @Property(tries = 300)
    void mergeIsCommutativeAndAssociative(@ForAll("temperatures") List<Reading> a, @ForAll("temperatures") List<Reading> b,
                                          @ForAll("temperatures") List<Reading> c) {
        HourRollup x = HourRollup.of(TEMPERATURE, a);
        HourRollup y = HourRollup.of(TEMPERATURE, b);
        HourRollup z = HourRollup.of(TEMPERATURE, c);
        assertEquals(x.merge(y), y.merge(x));
        HourRollup left = x.merge(y).merge(z);
        HourRollup right = x.merge(y.merge(z));
        // Decimal sums are doubles: associative up to rounding, everything else exactly.
        assertEquals(left.count(), right.count());
        assertEquals(Double.compare(left.min(), right.min()), 0);
        assertEquals(Double.compare(left.max(), right.max()), 0);
        assertArrayEquals(left.bins(), right.bins());
        assertEquals(left.sum(), right.sum(), 1e-12 * Math.max(1, Math.abs(left.sum())));
        assertEquals(left.sumOfSquares(), right.sumOfSquares(), 1e-12 * Math.max(1, left.sumOfSquares()));
    }

    @Property(tries = 300)
    void mergeOfWholeNumberRollupsIsExactlyAssociative(@ForAll("heartRates") List<Reading> a,
                                                       @ForAll("heartRates") List<Reading> b,
                                                       @ForAll("heartRates") List<Reading> c) {
        HourRollup x = HourRollup.of(HEART_RATE, a);
        HourRollup y = HourRollup.of(HEART_RATE, b);
        HourRollup z = HourRollup.of(HEART_RATE, c);
        assertEquals(x.merge(y).merge(z), x.merge(y.merge(z)));
    }

    @Property(tries = 300)
    void anEmptyRollupIsTheIdentityOfMerge(@ForAll("temperatures") List<Reading> readings) {
        HourRollup r = HourRollup.of(TEMPERATURE, readings);
        HourRollup empty = HourRollup.of(TEMPERATURE, List.of());
        assertEquals(r, r.merge(empty));
        assertEquals(r, empty.merge(r));
    }

    @Property(tries = 500)
    void anyRollupSurvivesAnEncodeDecodeRoundTrip(@ForAll("temperatures") List<Reading> readings) {
        HourRollup r = HourRollup.of(TEMPERATURE, readings);
        assertEquals(r, HourRollup.decode(r.encode()));
    }

    @Property(tries = 1000)
    void anyBytesEitherDecodeAsARollupOrFailWithSegmentFormatException(@ForAll @Size(max = 120) byte[] bytes) {
        try {
            HourRollup r = HourRollup.decode(bytes);
            assertEquals(r, HourRollup.decode(r.encode()));
        } catch (SegmentFormatException expected) {
            // the only acceptable failure
        }
    }

    @Test
    void heartRateBinsAreTenBeatsWideAcrossTheClampRangeWithAnEdgeBinEachSide() {
        HourRollup r = HourRollup.of(HEART_RATE, readings(25, 30, 39.9, 40, 219.9, 220, 221, 250));
        long[] bins = r.bins();
        assertEquals(19 + 2, bins.length);   // (220 − 30) / 10 regular bins
        assertEquals(1, bins[0]);            // 25: below clampMin
        assertEquals(2, bins[1]);            // 30 and 39.9 in [30, 40)
        assertEquals(1, bins[2]);            // 40 in [40, 50)
        assertEquals(2, bins[19]);           // 219.9 and clampMax 220 itself in [210, 220]
        assertEquals(2, bins[20]);           // 221 and 250: above clampMax
        assertEquals(8, r.count());
        assertEquals(25, r.min());
        assertEquals(250, r.max());
    }

    @Test
    void temperatureBinsAreHalfADegree() {
        HourRollup r = HourRollup.of(TEMPERATURE, readings(36.6, 36.9, 37.0, 33.9, 42.0, 42.5));
        long[] bins = r.bins();
        assertEquals(16 + 2, bins.length);   // (42 − 34) / 0.5
        assertEquals(2, bins[1 + 5]);        // 36.6 and 36.9 in [36.5, 37.0)
        assertEquals(1, bins[1 + 6]);        // 37.0
        assertEquals(1, bins[0]);
        assertEquals(1, bins[16]);           // 42.0, the top edge
        assertEquals(1, bins[17]);
    }

    @Test
    void meanIsTheSumOverTheCountAndNaNWhenEmpty() {
        assertEquals(71.0, HourRollup.of(HEART_RATE, readings(70, 71, 72)).mean());
        assertTrue(Double.isNaN(HourRollup.of(HEART_RATE, List.of()).mean()));
        assertEquals(70 * 70 + 71 * 71 + 72 * 72, HourRollup.of(HEART_RATE, readings(70, 71, 72)).sumOfSquares());
    }

    @Test
    void rollupsWithDifferentBinsRefuseToMerge() {
        HourRollup hr = HourRollup.of(HEART_RATE, readings(70));
        HourRollup temp = HourRollup.of(TEMPERATURE, readings(36.6));
        assertThrows(IllegalArgumentException.class, () -> hr.merge(temp));
    }

    @Test
    void anHourOfHeartRateRollsUpIntoAFewDozenBytes() {
        HourRollup r = HourRollup.of(HEART_RATE, Series.heartRateHour(new Random(1), DEVICE, Series.SOME_HOUR));
        byte[] encoded = r.encode();
        assertTrue(encoded.length <= 100, encoded.length + " bytes");
        assertEquals(r, HourRollup.decode(encoded));
    }

    @Test
    void truncatedRollupFailsWithSegmentFormatException() {
        byte[] encoded = HourRollup.of(HEART_RATE, readings(70, 80)).encode();
        for (int length = 0; length < encoded.length; length++) {
            byte[] cut = Arrays.copyOf(encoded, length);
            assertThrows(SegmentFormatException.class, () -> HourRollup.decode(cut), "length " + length);
        }
    }

    @Test
    void aHistogramThatDoesNotAddUpToTheCountIsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> new HourRollup(2, 10, 50, 5, 5, 30, 10, new long[] {0, 1, 0}));
    }

    @Test
    void binsCannotBeChangedFromOutside() {
        long[] bins = {0, 1, 0};
        HourRollup r = new HourRollup(1, 35, 1225, 35, 35, 30, 10, bins);
        bins[1] = 5;
        r.bins()[1] = 7;
        assertEquals(1, r.bins()[1]);
    }

    @Test
    void toStringHidesTheValues() {
        String s = HourRollup.of(HEART_RATE, readings(123, 187)).toString();
        assertFalse(s.contains("123") || s.contains("187") || s.contains("310"), s);
    }

    @Provide
    Arbitrary<List<Reading>> heartRates() {
        return Arbitraries.integers().between(20, 250).map(v -> reading(v)).list().ofMaxSize(100);
    }

    @Provide
    Arbitrary<List<Reading>> temperatures() {
        return Arbitraries.integers().between(300, 450).map(v -> reading(v / 10.0)).list().ofMaxSize(100);
    }

    private static List<Reading> readings(double... values) {
        List<Reading> list = new ArrayList<>();
        for (double v : values) {
            list.add(reading(v));
        }
        return list;
    }

    private static Reading reading(double value) {
        return new Reading(DEVICE, 1000, 1100, value);
    }
}
