package org.vitalvault.vault.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.vitalvault.reading.Reading;

class SampledGridTest {

    private static final UUID DEVICE = UUID.randomUUID();
    private static final long T0 = 1_790_000_000_000L;

    private static List<Reading> at(long... offsets) {
        List<Reading> readings = new ArrayList<>();
        for (long o : offsets) {
            readings.add(new Reading(DEVICE, T0 + o, T0 + o + 5, 70));
        }
        return readings;
    }

    private static long[] steps(int n, long step) {
        long[] offsets = new long[n];
        for (int i = 0; i < n; i++) {
            offsets[i] = i * step;
        }
        return offsets;
    }

    @Test
    void aSteadySeriesIsOneGridOfItsStep() {
        assertEquals(new SampledGrid(T0, 1000, 3600), SampledGrid.of(at(steps(3600, 1000))));
    }

    @Test
    void gapsBecomeEmptySlotsAndThePeriodIsTheMostCommonStep() {
        // 0, 1, 2, 4, 5, ... 11 s: one missing second.
        SampledGrid grid = SampledGrid.of(at(0, 1000, 2000, 4000, 5000, 6000, 7000, 8000, 9000, 10000, 11000));
        assertEquals(new SampledGrid(T0, 1000, 12), grid);
        assertEquals(3, grid.slotOf(T0 + 3000));
        assertEquals(T0 + 11000, grid.end());
    }

    @Test
    void fewerThanTenReadingsAreNoGrid() {
        assertNull(SampledGrid.of(at(steps(9, 1000))));
    }

    @Test
    void aReadingOffTheGridMeansNoGrid() {
        long[] offsets = steps(20, 1000);
        offsets[7] += 3;
        assertNull(SampledGrid.of(at(offsets)));
    }

    @Test
    void mostlyEmptySlotsMeanNoGrid() {
        // 10 readings one second apart, then 10 an hour's worth of seconds later: 21 slots would do
        // for the first half, but the span needs thousands.
        long[] offsets = new long[20];
        for (int i = 0; i < 10; i++) {
            offsets[i] = i * 1000L;
            offsets[10 + i] = 3_000_000L + i * 1000L;
        }
        assertNull(SampledGrid.of(at(offsets)));
    }

    @Test
    void upToTwiceAsManySlotsAsReadingsIsStillAGrid() {
        // 10 readings: seconds 0-6, then 17-19: 20 slots.
        assertEquals(new SampledGrid(T0, 1000, 20),
                SampledGrid.of(at(0, 1000, 2000, 3000, 4000, 5000, 6000, 17000, 18000, 19000)));
        assertNull(SampledGrid.of(at(0, 1000, 2000, 3000, 4000, 5000, 6000, 17000, 18000, 20000)));
    }
}
