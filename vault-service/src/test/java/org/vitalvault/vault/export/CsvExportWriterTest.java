package org.vitalvault.vault.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.vitalvault.metric.MetricCatalogue;
import org.vitalvault.reading.Reading;

class CsvExportWriterTest {

    private static final MetricCatalogue CATALOGUE = MetricCatalogue.standard();

    @Test
    void oneLinePerReadingWithIsoTimesPlainValuesAndUcumUnits() throws IOException {
        UUID device = UUID.fromString("2f1c1b3e-8d3a-4c51-9a51-0c7d3f1e2a10");
        long t = Instant.parse("2026-11-20T08:00:00Z").toEpochMilli();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CsvExportWriter w = new CsvExportWriter(out);
        w.begin(List.of());
        w.hour(CATALOGUE.byCode("heart_rate").orElseThrow(), List.of(new Reading(device, t, t + 40, 72),
                new Reading(device, t + 1500, t + 3_600_000, 73.5)));
        w.hour(CATALOGUE.byCode("body_temperature").orElseThrow(), List.of(new Reading(device, t, t + 5, 36.6)));
        w.end();
        assertEquals("""
                metric,device_id,device_time,received_time,value,unit
                heart_rate,2f1c1b3e-8d3a-4c51-9a51-0c7d3f1e2a10,2026-11-20T08:00:00Z,2026-11-20T08:00:00.040Z,72,/min
                heart_rate,2f1c1b3e-8d3a-4c51-9a51-0c7d3f1e2a10,2026-11-20T08:00:01.500Z,2026-11-20T09:00:00Z,73.5,/min
                body_temperature,2f1c1b3e-8d3a-4c51-9a51-0c7d3f1e2a10,2026-11-20T08:00:00Z,2026-11-20T08:00:00.005Z,36.6,Cel
                """, out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void catalogueTextWithACommaIsQuoted() {
        assertEquals("\"a,\"\"b\"\"\"", new String(CsvExportWriter.field("a,\"b\"")));
        assertEquals("mm[Hg]", new String(CsvExportWriter.field("mm[Hg]")));
    }
}
