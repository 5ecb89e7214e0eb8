package org.vitalvault.policy.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.vitalvault.metric.Metric;
import org.vitalvault.metric.MetricCatalogue;

class FixedPointGridTest {

    private static Metric metric(String code) {
        return MetricCatalogue.standard().byCode(code).orElseThrow();
    }

    @Test
    void theGridIsAThousandthOfTheClampRangeRoundedDownToAPowerOfTen() {
        assertEquals(-1, FixedPointGrid.forMetric(metric("heart_rate")).exponent());
        assertEquals(-2, FixedPointGrid.forMetric(metric("spo2")).exponent());
        assertEquals(-3, FixedPointGrid.forMetric(metric("body_temperature")).exponent());
        assertEquals(0, FixedPointGrid.forMetric(metric("steps")).exponent());
    }

    @Test
    void valuesRoundToTheNearestStepAndBack() {
        FixedPointGrid g = new FixedPointGrid(-1);
        assertEquals(725, g.toUnits(72.46));
        assertEquals(72.5, g.toValue(725));
        assertEquals(3, new FixedPointGrid(2).toUnits(251));
        assertEquals(300.0, new FixedPointGrid(2).toValue(3));
    }

    @Test
    void sensitivitiesOfHeartRateOnItsGrid() {
        // Clamp 30..220 on a 0.1 grid: 300..2200, centre 1250.
        assertEquals(BigInteger.ONE, Measurement.COUNT.sensitivity(300, 2200));
        assertEquals(BigInteger.valueOf(2200), Measurement.SUM.sensitivity(300, 2200));
        assertEquals(BigInteger.valueOf(950L * 950), Measurement.CENTRED_SUM_OF_SQUARES.sensitivity(300, 2200));
        assertEquals(BigInteger.ONE, Measurement.HISTOGRAM.sensitivity(300, 2200));
        assertEquals(BigInteger.valueOf(5), Measurement.SUM.sensitivity(-5, 3));
    }
}
