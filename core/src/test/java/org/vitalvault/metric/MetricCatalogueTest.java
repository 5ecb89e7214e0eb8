package org.vitalvault.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MetricCatalogueTest {

    private final MetricCatalogue catalogue = MetricCatalogue.standard();

    @Test
    void standardCatalogueHasTheVitalsTheBriefNames() {
        for (String code : List.of("heart_rate", "spo2", "body_temperature", "respiratory_rate", "systolic_bp",
                "diastolic_bp", "blood_glucose", "steps", "body_weight")) {
            assertTrue(catalogue.byCode(code).isPresent(), code);
        }
    }

    @Test
    void heartRateSpeaksLoincAndUcum() {
        Metric hr = catalogue.bySenmlName("heart_rate").orElseThrow();
        assertEquals("8867-4", hr.loinc());
        assertEquals("/min", hr.ucum());
        assertEquals("beat/min", hr.canonicalUnit());
    }

    @Test
    void glucoseInMillimolesIsConvertedToMilligramsPerDecilitreWithTheSourcesPrecision() {
        Metric glucose = catalogue.byCode("blood_glucose").orElseThrow();
        // 5.5 × 18.0156 in binary floating point is 99.08579999999999; two digits sent, three kept.
        assertEquals(99.1, glucose.toCanonical("mmol/L", 5.5).getAsDouble(), 0.0);
    }

    @Test
    void weightInPoundsIsConvertedToKilogramsWithTheSourcesPrecision() {
        Metric weight = catalogue.byCode("body_weight").orElseThrow();
        // 154 × 0.45359237 in binary floating point is 69.85322498000001; three digits sent, four kept.
        assertEquals(69.85, weight.toCanonical("lb", 154).getAsDouble(), 0.0);
        assertEquals("69.85", Double.toString(weight.toCanonical("lb", 154).getAsDouble()));
    }

    @Test
    void aWholeNumberSourceStillKeepsThreeDigits() {
        // JSON and CBOR cannot tell "6.0" from "6": 6 × 18.0156 = 108.0936, kept as 108, not 110.
        Metric glucose = catalogue.byCode("blood_glucose").orElseThrow();
        assertEquals(108.0, glucose.toCanonical("mmol/L", 6).getAsDouble(), 0.0);
    }

    @Test
    void aValueInTheCanonicalUnitIsStoredAsSent() {
        Metric weight = catalogue.byCode("body_weight").orElseThrow();
        assertEquals(72.123456789, weight.toCanonical("kg", 72.123456789).getAsDouble(), 0.0);
    }

    @Test
    void significantDigitsAreThoseOfTheShortestDecimalForm() {
        assertEquals(2, Metric.significantDigits(5.5));
        assertEquals(3, Metric.significantDigits(154));
        assertEquals(3, Metric.significantDigits(150));
        assertEquals(1, Metric.significantDigits(0.05));
        assertEquals(4, Metric.significantDigits(-12.25));
    }

    @Test
    void unitNotAcceptedForTheMetricGivesNoValue() {
        assertFalse(catalogue.byCode("heart_rate").orElseThrow().toCanonical("Cel", 37).isPresent());
    }

    @Test
    void plausibleRangeIncludesItsBounds() {
        Metric spo2 = catalogue.byCode("spo2").orElseThrow();
        assertTrue(spo2.isPlausible(100));
        assertFalse(spo2.isPlausible(100.1));
    }
}
