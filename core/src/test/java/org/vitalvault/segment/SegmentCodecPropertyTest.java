package org.vitalvault.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.vitalvault.reading.Reading;

class SegmentCodecPropertyTest {

    @Property(tries = 1000)
    void anySetOfReadingsSurvivesARoundTripExactly(@ForAll("segments") List<Reading> readings) {
        List<Reading> decoded = SegmentCodec.decode(SegmentCodec.encode(readings));
        assertTrue(Series.identical(Series.expected(readings), decoded));
    }

    @Property(tries = 300)
    void wholeNumberValuesSurviveARoundTripExactly(@ForAll("wholeNumberSegments") List<Reading> readings) {
        assertTrue(Series.identical(Series.expected(readings), SegmentCodec.decode(SegmentCodec.encode(readings))));
    }

    @Property(tries = 200)
    void theOrderReadingsArriveInDoesNotChangeTheSegment(@ForAll("segments") List<Reading> readings, @ForAll long seed) {
        // Without exact ties (same identity and received time) the kept copy is order-independent.
        List<Reading> unique = Series.expected(readings);
        List<Reading> shuffled = new ArrayList<>(unique);
        Collections.shuffle(shuffled, new Random(seed));
        assertArrayEquals(SegmentCodec.encode(unique), SegmentCodec.encode(shuffled));
    }

    @Property(tries = 200)
    void mergingASegmentWithMoreReadingsEqualsEncodingTheUnion(@ForAll("segments") List<Reading> stored,
                                                               @ForAll("segments") List<Reading> more) {
        List<Reading> union = new ArrayList<>(Series.expected(stored));
        union.addAll(more);
        assertTrue(Series.identical(Series.expected(union),
                SegmentCodec.decode(SegmentCodec.merge(SegmentCodec.encode(stored), more))));
    }

    @Provide
    Arbitrary<List<Reading>> segments() {
        return Arbitraries.of(ValueKind.values()).flatMap(kind -> readings(kind.arbitrary()));
    }

    @Provide
    Arbitrary<List<Reading>> wholeNumberSegments() {
        return readings(ValueKind.WHOLE.arbitrary());
    }

    /** 1–5 devices, times within one hour (often colliding, to make duplicates), any receive delay. */
    private static Arbitrary<List<Reading>> readings(Arbitrary<Double> values) {
        Arbitrary<UUID> ids = Combinators.combine(Arbitraries.longs(), Arbitraries.longs()).as(UUID::new);
        Arbitrary<Long> hour = Arbitraries.longs().between(0, 1_000_000).map(h -> h * Series.HOUR);
        return Combinators.combine(ids.list().ofMinSize(1).ofMaxSize(5), hour).flatAs((devices, start) -> {
            Arbitrary<Long> offsetInHour = Arbitraries.frequencyOf(
                    Tuple.of(3, Arbitraries.longs().between(0, Series.HOUR - 1)),
                    Tuple.of(3, Arbitraries.longs().between(0, 30).map(s -> s * 1000)),
                    Tuple.of(1, Arbitraries.longs().between(0, 5)));
            Arbitrary<Long> delay = Arbitraries.frequencyOf(
                    Tuple.of(4, Arbitraries.longs().between(20, 300)),
                    Tuple.of(1, Arbitraries.longs()));
            Arbitrary<Reading> reading = Combinators.combine(Arbitraries.of(devices), offsetInHour, delay, values)
                    .as((device, offset, lag, value) -> new Reading(device, start + offset, start + offset + lag, value));
            return reading.list().ofMaxSize(200);
        });
    }

    /** The value shapes a segment can have; each picks a different value column. */
    private enum ValueKind {
        WHOLE, DECIMALS, ANY_DOUBLE, EDGE_CASES, MIXED;

        Arbitrary<Double> arbitrary() {
            return switch (this) {
                case WHOLE -> Arbitraries.integers().between(-1000, 100_000).map(i -> (double) i);
                case DECIMALS -> Arbitraries.integers().between(1, 3).flatMap(places ->
                        Arbitraries.integers().between(-100_000, 100_000)
                                .map(i -> Double.parseDouble(i + "e-" + places)));
                case ANY_DOUBLE -> Arbitraries.longs().map(Double::longBitsToDouble).filter(Double::isFinite);
                case EDGE_CASES -> Arbitraries.of(0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, 4.9e-322,
                        Double.MIN_NORMAL, Math.nextDown(Double.MIN_NORMAL), Double.MAX_VALUE, -Double.MAX_VALUE,
                        0.1 + 0.2, 9.223372036854776E18, 1e16, -1e16 + 1);
                case MIXED -> Arbitraries.oneOf(WHOLE.arbitrary(), DECIMALS.arbitrary(), ANY_DOUBLE.arbitrary(), EDGE_CASES.arbitrary());
            };
        }
    }
}
