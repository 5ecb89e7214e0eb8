package org.vitalvault.vault.export;

import java.util.Arrays;
import java.util.List;
import org.vitalvault.reading.Reading;

/**
 * A regular time grid that one device's readings lie on exactly, so they can be exported as one
 * FHIR SampledData series (slot i at {@code start + i × period}; slots without a reading are gaps)
 * instead of one Observation per reading.
 *
 * <p>The period is the most common time step between consecutive readings (the smallest of equally
 * common ones). A grid is used only when it loses nothing and saves something: at least
 * {@link #MIN_READINGS} readings, every reading exactly on a slot, and no more than twice as many
 * slots as readings (so a series with long gaps is not padded with mostly "E").
 *
 * @param start  device time of the first reading and of slot 0, ms
 * @param period ms between slots, positive
 * @param slots  number of slots, from the first reading to the last
 */
record SampledGrid(long start, long period, int slots) {

    static final int MIN_READINGS = 10;

    SampledGrid {
        if (period <= 0 || slots < 1) {
            throw new IllegalArgumentException("period and slots must be positive");
        }
    }

    /**
     * The grid of one device's readings, sorted by device time with no time twice, or null when
     * they do not lie on one worth using.
     */
    static SampledGrid of(List<Reading> readings) {
        int n = readings.size();
        if (n < MIN_READINGS) {
            return null;
        }
        long t0 = readings.get(0).deviceTimeMillis();
        long last = readings.get(n - 1).deviceTimeMillis();
        long period = mostCommonStep(readings);
        if (period <= 0) {
            return null;
        }
        long slots = (last - t0) / period + 1;
        if (slots > 2L * n) {
            return null;
        }
        for (int i = 0; i < n; i++) {
            if ((readings.get(i).deviceTimeMillis() - t0) % period != 0) {
                return null;
            }
        }
        return new SampledGrid(t0, period, (int) slots);
    }

    /** The slot of a device time on this grid (the time must lie on it). */
    int slotOf(long deviceTimeMillis) {
        return (int) ((deviceTimeMillis - start) / period);
    }

    /** Device time of the last slot. */
    long end() {
        return start + (slots - 1) * period;
    }

    private static long mostCommonStep(List<Reading> readings) {
        int n = readings.size();
        long first = readings.get(1).deviceTimeMillis() - readings.get(0).deviceTimeMillis();
        boolean steady = true;
        for (int i = 2; i < n && steady; i++) {
            steady = readings.get(i).deviceTimeMillis() - readings.get(i - 1).deviceTimeMillis() == first;
        }
        if (steady) {
            return first; // the usual case, without sorting
        }
        long[] steps = new long[n - 1];
        for (int i = 1; i < n; i++) {
            steps[i - 1] = readings.get(i).deviceTimeMillis() - readings.get(i - 1).deviceTimeMillis();
        }
        Arrays.sort(steps);
        long best = steps[0];
        int bestRun = 0;
        for (int i = 0; i < steps.length; ) {
            int j = i;
            while (j < steps.length && steps[j] == steps[i]) {
                j++;
            }
            if (j - i > bestRun) {
                bestRun = j - i;
                best = steps[i];
            }
            i = j;
        }
        return best;
    }
}
