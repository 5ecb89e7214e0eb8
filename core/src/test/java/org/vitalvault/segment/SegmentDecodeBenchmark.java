package org.vitalvault.segment;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.vitalvault.reading.Reading;

/**
 * Sizes and decode speed of segments, printed, not asserted (timing depends on the machine). Run
 * after {@code mvn -pl core test-compile}:
 * <pre>
 * java -cp core/target/classes:core/target/test-classes org.vitalvault.segment.SegmentDecodeBenchmark
 * </pre>
 */
public final class SegmentDecodeBenchmark {

    private SegmentDecodeBenchmark() {
    }

    public static void main(String[] args) {
        UUID watch = new UUID(0x1111, 1);
        Random random = new Random(2026);
        report("1 Hz heart rate, whole bpm", Series.heartRateHour(random, watch, Series.SOME_HOUR));
        report("1 Hz body temperature, 1 decimal", Series.walk(random, watch, Series.SOME_HOUR, 1000, 35, 40, 36.6, 1, 0.1, 1));
        report("1/min body temperature, 1 decimal", Series.walk(random, watch, Series.SOME_HOUR, 60_000, 35, 40, 36.6, 1, 0.1, 1));
        report("1 Hz SpO2, whole %", Series.walk(random, watch, Series.SOME_HOUR, 1000, 88, 100, 97, 1, 1, 0));
        report("5 min glucose, mmol/L 1 decimal in mg/dL", glucose(random, watch, 300_000));
        report("1 min glucose, mmol/L 1 decimal in mg/dL", glucose(random, watch, 60_000));
        report("1 Hz heart rate, random doubles (XOR)", xorHour(random, watch));

        // A day of 1 Hz heart rate: 24 one-hour segments, 86,400 readings.
        List<byte[]> day = new ArrayList<>();
        for (int h = 0; h < 24; h++) {
            day.add(SegmentCodec.encode(Series.heartRateHour(random, watch, Series.SOME_HOUR + h * Series.HOUR)));
        }
        long sink = 0;
        long first = System.nanoTime();
        sink += decodeAll(day);
        System.out.printf("day of 86,400 readings, first (cold) decode: %.1f ms%n", (System.nanoTime() - first) / 1e6);
        for (int i = 0; i < 200; i++) {
            sink += decodeAll(day);
        }
        long[] runs = new long[50];
        for (int i = 0; i < runs.length; i++) {
            long t = System.nanoTime();
            sink += decodeAll(day);
            runs[i] = System.nanoTime() - t;
        }
        java.util.Arrays.sort(runs);
        System.out.printf("day of 86,400 readings, warm decode: median %.2f ms, best %.2f ms, worst %.2f ms (%d)%n",
                runs[runs.length / 2] / 1e6, runs[0] / 1e6, runs[runs.length - 1] / 1e6, sink % 10);
    }

    private static long decodeAll(List<byte[]> segments) {
        long n = 0;
        for (byte[] s : segments) {
            n += SegmentCodec.decode(s).size();
        }
        return n;
    }

    private static void report(String what, List<Reading> readings) {
        byte[] segment = SegmentCodec.encode(readings);
        if (!Series.identical(Series.expected(readings), SegmentCodec.decode(segment))) {
            throw new AssertionError(what + " did not round-trip");
        }
        System.out.printf("%-45s %5d readings %7d bytes %6.3f B/reading%n", what, readings.size(), segment.length,
                (double) segment.length / readings.size());
    }

    private static List<Reading> glucose(Random random, UUID device, long period) {
        List<Reading> readings = new ArrayList<>();
        int tenths = 40 + random.nextInt(60);
        for (long t = Series.SOME_HOUR; t < Series.SOME_HOUR + Series.HOUR; t += period) {
            tenths = Math.max(25, Math.min(200, tenths + random.nextInt(5) - 2));
            readings.add(new Reading(device, t, t + 20 + random.nextInt(281), tenths / 10.0 * 18.0156));
        }
        return readings;
    }

    private static List<Reading> xorHour(Random random, UUID device) {
        List<Reading> readings = new ArrayList<>();
        for (Reading r : Series.heartRateHour(random, device, Series.SOME_HOUR)) {
            readings.add(new Reading(device, r.deviceTimeMillis(), r.receivedTimeMillis(), r.value() + random.nextDouble()));
        }
        return readings;
    }
}
