package org.vitalvault.gateway.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.vitalvault.senml.SenmlRecord;
import org.vitalvault.metric.MetricCatalogue;
import org.vitalvault.wire.RejectionReason;

class RecordValidatorTest {

    private static final long NOW_MS = 1_780_000_000_000L;
    private final RecordValidator validator =
            new RecordValidator(MetricCatalogue.standard(), Duration.ofMinutes(5), Duration.ofDays(30));

    private RecordValidator.Outcome check(String name, String unit, double value, long timeMs) {
        return validator.validate(new SenmlRecord(name, unit, value, timeMs / 1000d), NOW_MS);
    }

    @Test
    void plausibleHeartRateIsAccepted() {
        RecordValidator.Outcome o = check("heart_rate", "beat/min", 72, NOW_MS);
        assertNull(o.rejection());
        assertEquals("heart_rate", o.metric().code());
        assertEquals(NOW_MS, o.deviceTimeMillis());
    }

    @Test
    void metricIsFoundAfterADeviceBaseNamePrefix() {
        assertEquals("spo2", check("urn:dev:mac:0024befffe804ff1:spo2", "%", 97, NOW_MS).metric().code());
    }

    @Test
    void glucoseInMillimolesIsStoredInTheCanonicalUnit() {
        // 5 mmol/L: 5 × 18.0156 = 90.078, kept to three digits (Metric.toCanonical, decision 021b).
        assertEquals(90.1, check("glucose", "mmol/L", 5, NOW_MS).canonicalValue(), 0.0);
    }

    @Test
    void eachFailedCheckHasItsReason() {
        assertEquals(RejectionReason.UNKNOWN_METRIC, check("mood", null, 3, NOW_MS).rejection());
        assertEquals(RejectionReason.UNIT_MISMATCH, check("heart_rate", "Cel", 72, NOW_MS).rejection());
        assertEquals(RejectionReason.OUT_OF_RANGE, check("heart_rate", "beat/min", 900, NOW_MS).rejection());
        assertEquals(RejectionReason.TIME_IN_FUTURE, check("heart_rate", "beat/min", 72, NOW_MS + 301_000).rejection());
        assertEquals(RejectionReason.TOO_OLD, check("heart_rate", "beat/min", 72, NOW_MS - Duration.ofDays(31).toMillis()).rejection());
    }

    @Test
    void missingUnitMeansTheCanonicalUnit() {
        assertNull(check("body_temp", null, 36.8, NOW_MS).rejection());
    }
}
