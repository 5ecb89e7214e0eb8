package org.vitalvault.segment;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.vitalvault.reading.Reading;

/** Realistic reading series for the tests and the benchmark, from a seed so sizes are repeatable. */
final class Series {

    static final long HOUR = 3_600_000L;
    static final long SOME_HOUR = 1_780_000_000_000L / HOUR * HOUR;

    private Series() {
    }

    /**
     * One reading every {@code periodMillis} for an hour: the value a random walk of
     * {@code step}-sized steps between {@code low} and {@code high}, rounded to {@code places}
     * decimals like a device reports it; received 20–300 ms after the device time.
     */
    static List<Reading> walk(Random random, UUID device, long hourStart, long periodMillis,
                              double low, double high, double start, int maxSteps, double step, int places) {
        List<Reading> readings = new ArrayList<>();
        double scale = Math.pow(10, places);
        long units = Math.round(start / step);
        for (long t = hourStart; t < hourStart + HOUR; t += periodMillis) {
            units += random.nextInt(2 * maxSteps + 1) - maxSteps;
            units = Math.max(Math.round(low / step), Math.min(Math.round(high / step), units));
            // Through decimal text, as a device or the SenML parser would produce the double.
            double value = Math.round(units * step * scale) / scale;
            value = Double.parseDouble(String.format(java.util.Locale.ROOT, "%." + places + "f", value));
            readings.add(new Reading(device, t, t + 20 + random.nextInt(281), value));
        }
        return readings;
    }

    /** An hour of 1 Hz whole-number heart rate: a random walk of up to ±2 bpm a second within 50–180. */
    static List<Reading> heartRateHour(Random random, UUID device, long hourStart) {
        return walk(random, device, hourStart, 1000, 50, 180, 50 + random.nextInt(131), 2, 1, 0);
    }

    /**
     * What a reader of the uncompacted batches sees (independent of the codec): one reading per
     * (device, device time), the first received winning and the earlier in the list on a tie,
     * sorted by (device time, device id).
     */
    static List<Reading> expected(List<Reading> readings) {
        Map<List<Object>, Reading> unique = new HashMap<>();
        for (Reading r : readings) {
            unique.merge(List.of(r.deviceId(), r.deviceTimeMillis()), r,
                    (a, b) -> a.receivedTimeMillis() <= b.receivedTimeMillis() ? a : b);
        }
        List<Reading> sorted = new ArrayList<>(unique.values());
        sorted.sort(Comparator.comparingLong(Reading::deviceTimeMillis).thenComparing(Reading::deviceId));
        return sorted;
    }

    /** Bitwise equality, value bits included (Reading.equals would already tell -0.0 from 0.0, but say it outright). */
    static boolean identical(List<Reading> a, List<Reading> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            Reading x = a.get(i);
            Reading y = b.get(i);
            if (!x.deviceId().equals(y.deviceId()) || x.deviceTimeMillis() != y.deviceTimeMillis()
                    || x.receivedTimeMillis() != y.receivedTimeMillis()
                    || Double.doubleToRawLongBits(x.value()) != Double.doubleToRawLongBits(y.value())) {
                return false;
            }
        }
        return true;
    }
}
