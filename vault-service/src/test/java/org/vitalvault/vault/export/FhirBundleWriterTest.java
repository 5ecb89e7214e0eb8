package org.vitalvault.vault.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.SampledData;
import org.junit.jupiter.api.Test;
import org.vitalvault.metric.Metric;
import org.vitalvault.metric.MetricCatalogue;
import org.vitalvault.reading.Reading;

/** The FHIR writer alone, read back with HAPI: shapes, exact values, references. */
class FhirBundleWriterTest {

    private static final MetricCatalogue CATALOGUE = MetricCatalogue.standard();
    private static final Metric HEART_RATE = CATALOGUE.byCode("heart_rate").orElseThrow();
    private static final long HOUR = Instant.parse("2026-11-20T08:00:00Z").toEpochMilli();

    private final UUID owner = UUID.randomUUID();
    private final UUID strap = UUID.randomUUID();

    private interface Body {
        void write(FhirBundleWriter w) throws IOException;
    }

    private String bundle(List<ExportDevice> devices, Body body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator gen = new JsonFactory().createGenerator(out)) {
            FhirBundleWriter w = new FhirBundleWriter(gen, owner, Instant.parse("2026-11-26T10:00:00Z"), UUID.randomUUID());
            w.begin(devices);
            body.write(w);
            w.end();
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void anHourOf1HzHeartRateIsOneSampledDataObservationWithItsGaps() throws IOException {
        List<Reading> readings = new ArrayList<>();
        List<Double> expected = new ArrayList<>();
        for (int s = 0; s < 3600; s++) {
            if (s == 17 || s == 1800 || s == 1801) {
                expected.add(null);
                continue;
            }
            double v = 60 + s % 40 + (s % 7 == 0 ? 0.5 : 0);
            readings.add(new Reading(strap, HOUR + s * 1000L, HOUR + s * 1000L + 40, v));
            expected.add(v);
        }
        String json = bundle(List.of(new ExportDevice(strap, "chest strap", true)), w -> w.hour(HEART_RATE, readings));
        Bundle bundle = FhirBundles.parse(json);
        FhirBundles.assertObservationsComplete(bundle);
        List<Observation> observations = FhirBundles.observations(bundle);
        assertEquals(1, observations.size());
        Observation o = observations.get(0);
        SampledData sd = o.getValueSampledData();
        assertEquals(0, sd.getPeriod().compareTo(BigDecimal.valueOf(1000)));
        assertEquals(expected, FhirBundles.slots(sd));
        assertEquals(Instant.ofEpochMilli(HOUR), o.getEffectivePeriod().getStart().toInstant());
        assertEquals(Instant.ofEpochMilli(HOUR + 3_599_000), o.getEffectivePeriod().getEnd().toInstant());
        assertTrue(json.contains("\"data\":\"60.5 61 62 "), "whole numbers without .0");
        assertEquals(List.of(), FhirBundles.validationErrors(json));
    }

    @Test
    void irregularReadingsAreOneQuantityObservationEach() throws IOException {
        List<Reading> readings = List.of(new Reading(strap, HOUR + 1_000, HOUR + 1_100, 72),
                new Reading(strap, HOUR + 61_234, HOUR + 61_300, 73.25),
                new Reading(strap, HOUR + 900_000, HOUR + 900_010, 80));
        String json = bundle(List.of(new ExportDevice(strap, "chest strap", true)), w -> w.hour(HEART_RATE, readings));
        Bundle bundle = FhirBundles.parse(json);
        FhirBundles.assertObservationsComplete(bundle);
        List<Observation> observations = FhirBundles.observations(bundle);
        assertEquals(3, observations.size());
        assertEquals("73.25", observations.get(1).getValueQuantity().getValueElement().getValueAsString());
        assertEquals("2026-11-20T08:01:01.234Z", observations.get(1).getEffectiveDateTimeType().getValueAsString());
        assertTrue(json.contains("\"value\":72,"), json);
        assertEquals(List.of(), FhirBundles.validationErrors(json));
    }

    @Test
    void everyCatalogueMetricFromTwoDevicesIsValidR4() throws IOException {
        UUID forgotten = UUID.randomUUID(); // readings of a device the vault no longer has a record of
        String json = bundle(List.of(new ExportDevice(strap, "chest \"strap\", left", true),
                new ExportDevice(UUID.randomUUID(), "old scale", false)), w -> {
            for (Metric m : CATALOGUE.all()) {
                List<Reading> readings = new ArrayList<>();
                for (int i = 0; i < 12; i++) {
                    double v = m.clampMin() + (i % 3) * m.binWidth() / 2;
                    readings.add(new Reading(i % 2 == 0 ? strap : forgotten, HOUR + i * 60_000L, HOUR + i * 60_000L + 5, v));
                }
                w.hour(m, readings);
            }
        });
        Bundle bundle = FhirBundles.parse(json);
        FhirBundles.assertObservationsComplete(bundle);
        assertEquals(CATALOGUE.all().stream().map(Metric::loinc).collect(Collectors.toSet()),
                FhirBundles.codesOf(bundle));
        // Per device, six readings two minutes apart: too few for a grid, so quantities.
        assertEquals(CATALOGUE.all().size() * 12, FhirBundles.observations(bundle).size());
        long devices = bundle.getEntry().stream().filter(e -> e.getResource() instanceof Device).count();
        assertEquals(3, devices);
        assertEquals(List.of(), FhirBundles.validationErrors(json));
    }

    @Test
    void twoDevicesInOneHourAreTwoSampledSeries() throws IOException {
        UUID wrist = UUID.randomUUID();
        List<Reading> readings = new ArrayList<>();
        for (int s = 0; s < 60; s++) {
            readings.add(new Reading(strap, HOUR + s * 1000L, HOUR + s * 1000L, 70));
            readings.add(new Reading(wrist, HOUR + s * 5000L + 250, HOUR + s * 5000L + 300, 71));
        }
        readings.sort(Comparator.comparingLong(Reading::deviceTimeMillis).thenComparing(Reading::deviceId));
        String json = bundle(List.of(new ExportDevice(strap, "strap", true), new ExportDevice(wrist, "watch", true)),
                w -> w.hour(HEART_RATE, readings));
        Bundle bundle = FhirBundles.parse(json);
        FhirBundles.assertObservationsComplete(bundle);
        List<Observation> observations = FhirBundles.observations(bundle);
        assertEquals(2, observations.size());
        assertEquals(List.of(1000, 5000), observations.stream()
                .map(o -> o.getValueSampledData().getPeriod().intValueExact()).sorted().toList());
        assertEquals(List.of(), FhirBundles.validationErrors(json));
    }

    @Test
    void observationIdsAreStableAcrossExports() throws IOException {
        List<Reading> readings = List.of(new Reading(strap, HOUR + 1_000, HOUR + 1_100, 72));
        List<ExportDevice> devices = List.of(new ExportDevice(strap, "strap", true));
        Bundle first = FhirBundles.parse(bundle(devices, w -> w.hour(HEART_RATE, readings)));
        Bundle second = FhirBundles.parse(bundle(devices, w -> w.hour(HEART_RATE, readings)));
        assertEquals(FhirBundles.observations(first).get(0).getIdElement().getIdPart(),
                FhirBundles.observations(second).get(0).getIdElement().getIdPart());
    }

    @Test
    void theValidatorItselfCatchesWhatStrictParsingLetsThrough() throws IOException {
        // Guards the guard: validation that finds nothing must be because nothing is wrong.
        String json = bundle(List.of(new ExportDevice(strap, "strap", true)), w -> w.hour(HEART_RATE,
                List.of(new Reading(strap, HOUR, HOUR, 72))));
        String broken = json.replace("\"status\":\"final\"", "\"status\":\"finished\"")
                .replace("\"code\":\"/min\"", "\"code\":\"beats per minute\"");
        List<String> errors = FhirBundles.validationErrors(broken);
        assertTrue(errors.stream().anyMatch(e -> e.contains("finished")), errors.toString());
        assertTrue(errors.stream().anyMatch(e -> e.contains("beats per minute")), errors.toString());
    }
}
