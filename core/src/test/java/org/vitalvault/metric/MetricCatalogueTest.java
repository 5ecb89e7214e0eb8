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
    void glucoseInMillimolesIsConvertedToMilligramsPerDecilitre() {
        Metric glucose = catalogue.byCode("blood_glucose").orElseThrow();
        assertEquals(99.0858, glucose.toCanonical("mmol/L", 5.5).getAsDouble(), 1e-3);
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
