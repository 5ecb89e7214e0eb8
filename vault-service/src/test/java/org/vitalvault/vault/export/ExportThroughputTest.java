package org.vitalvault.vault.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.vitalvault.metric.Metric;
import org.vitalvault.metric.MetricCatalogue;
import org.vitalvault.reading.Reading;
import org.vitalvault.store.SealedStore;
import org.vitalvault.store.VaultEpoch;
import org.vitalvault.vault.keys.OwnerKeyring;
import org.vitalvault.vault.support.Tokens;

/**
 * How fast the export streams a month of 1 Hz heart rate (30 × 24 hours × 3,600 = 2,592,000
 * readings). A measurement, printed, not an assertion: timings on shared machines vary too much
 * to fail a build on. Measured twice each (the first round warms the JIT up): the writers alone,
 * and the whole path from 720 sealed compacted hours in PostgreSQL through decryption, decoding and
 * writing, both in process and over HTTP. Look for lines starting {@code EXPORT THROUGHPUT}.
 */
@QuarkusTest
class ExportThroughputTest {

    private static final Metric HEART_RATE = MetricCatalogue.standard().byCode("heart_rate").orElseThrow();
    private static final int HOURS = 720;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    OwnerKeyring keyring;

    @Inject
    OwnerExport export;

    @TestHTTPResource("/")
    URL base;

    /** Counts bytes and throws them away. */
    private static final class Counting extends OutputStream {
        long bytes;

        @Override
        public void write(int b) {
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes += len;
        }
    }

    @Test
    void writersAloneStreamAMonthOf1HzHeartRate() throws IOException {
        UUID device = UUID.randomUUID();
        Instant start = Instant.parse("2026-10-01T00:00:00Z");
        // A day of hours, reused for every day of the month: the writers keep nothing between hours.
        List<List<Reading>> day = new ArrayList<>();
        for (int h = 0; h < 24; h++) {
            day.add(ExportData.oneHz(device, start.plus(h, ChronoUnit.HOURS), 3600, Set.of(5)));
        }
        long readings = 30L * day.stream().mapToInt(List::size).sum();
        for (int round = 0; round < 3; round++) { // the first rounds warm the JIT up
            Counting fhirOut = new Counting();
            long t0 = System.nanoTime();
            try (JsonGenerator gen = new JsonFactory().createGenerator(fhirOut)) {
                FhirBundleWriter w = new FhirBundleWriter(gen, UUID.randomUUID(), Instant.now(), UUID.randomUUID());
                w.begin(List.of(new ExportDevice(device, "strap", true)));
                for (int d = 0; d < 30; d++) {
                    for (List<Reading> hour : day) {
                        w.hour(HEART_RATE, hour);
                    }
                }
                w.end();
            }
            long fhirNanos = System.nanoTime() - t0;
            Counting csvOut = new Counting();
            t0 = System.nanoTime();
            CsvExportWriter csv = new CsvExportWriter(csvOut);
            csv.begin(List.of());
            for (int d = 0; d < 30; d++) {
                for (List<Reading> hour : day) {
                    csv.hour(HEART_RATE, hour);
                }
            }
            csv.end();
            long csvNanos = System.nanoTime() - t0;
            report("writer only, round " + round, readings, fhirNanos, fhirOut.bytes, csvNanos, csvOut.bytes);
        }
        // Not a timing: the month is one Observation per hour, not one per reading.
        ByteArrayOutputStream month = new ByteArrayOutputStream();
        try (JsonGenerator gen = new JsonFactory().createGenerator(month)) {
            FhirBundleWriter w = new FhirBundleWriter(gen, UUID.randomUUID(), Instant.now(), UUID.randomUUID());
            w.begin(List.of(new ExportDevice(device, "strap", true)));
            for (int d = 0; d < 30; d++) {
                for (List<Reading> hour : day) {
                    w.hour(HEART_RATE, hour);
                }
            }
            w.end();
        }
        String text = month.toString(StandardCharsets.UTF_8);
        assertEquals(HOURS, text.split("\"resourceType\":\"Observation\"", -1).length - 1);

        // Irregular readings: one Observation each, the slow shape.
        List<Reading> irregular = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            long t = start.toEpochMilli() + i * 997L + (i % 3) * 13;
            irregular.add(new Reading(device, t, t + 20, 60 + i % 40));
        }
        for (int round = 0; round < 2; round++) {
            Counting out = new Counting();
            long t0 = System.nanoTime();
            try (JsonGenerator gen = new JsonFactory().createGenerator(out)) {
                FhirBundleWriter w = new FhirBundleWriter(gen, UUID.randomUUID(), Instant.now(), UUID.randomUUID());
                w.begin(List.of());
                for (int i = 0; i < irregular.size(); i += 3600) {
                    w.hour(HEART_RATE, irregular.subList(i, Math.min(irregular.size(), i + 3600)));
                }
                w.end();
            }
            long nanos = System.nanoTime() - t0;
            System.out.printf(Locale.ROOT, "EXPORT THROUGHPUT irregular FHIR (one Observation each), round %d: %,d readings"
                    + " in %.2f s = %,.0f readings/s, %,d bytes%n", round, irregular.size(), nanos / 1e9,
                    irregular.size() / (nanos / 1e9), out.bytes);
        }
    }

    @Test
    void aMonthOf1HzHeartRateFromTheVault() throws Exception {
        String token = Tokens.newOwnerToken();
        UUID owner = Tokens.register(token);
        UUID device = UUID.randomUUID();
        Instant start = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(HOURS + 1, ChronoUnit.HOURS);
        long written = 0;
        long t0 = System.nanoTime();
        try (Connection c = dataSource.getConnection(); OwnerKeyring.Session keys = keyring.open(owner)) {
            c.setAutoCommit(false);
            OwnerKeyring.CurrentKey key = keyring.currentKey(c, owner).orElseThrow();
            VaultEpoch epoch = VaultEpoch.current(c, keys, owner, key.keyVersion(), key.publicKey(), Instant.now());
            for (int h = 0; h < HOURS; h++) {
                Instant bucket = start.plus(h, ChronoUnit.HOURS);
                List<Reading> readings = ExportData.oneHz(device, bucket, 3600, Set.of());
                SealedStore.writeHour(c, owner, HEART_RATE, bucket, epoch, readings, Instant.now());
                written += readings.size();
                if (h % 24 == 23) {
                    c.commit();
                }
            }
            c.commit();
        }
        System.out.printf(Locale.ROOT, "EXPORT THROUGHPUT setup: %,d readings sealed in %d compacted hours in %.1f s%n",
                written, HOURS, (System.nanoTime() - t0) / 1e9);

        for (int round = 0; round < 2; round++) {
            for (ExportFormat format : ExportFormat.values()) {
                Counting out = new Counting();
                long s = System.nanoTime();
                export.write(owner, format, out);
                long nanos = System.nanoTime() - s;
                System.out.printf(Locale.ROOT, "EXPORT THROUGHPUT from PostgreSQL (decrypt, decode, write), %s, round %d:"
                        + " %,d readings in %.2f s = %,.0f readings/s, %,d bytes%n", format, round, written, nanos / 1e9,
                        written / (nanos / 1e9), out.bytes);

                s = System.nanoTime();
                long bytes = httpGet(new URL(base, "owners/" + owner + "/export?format=" + format.name().toLowerCase(Locale.ROOT)),
                        token);
                nanos = System.nanoTime() - s;
                assertEquals(out.bytes > 0, bytes > 0);
                System.out.printf(Locale.ROOT, "EXPORT THROUGHPUT over HTTP, %s, round %d: %,d readings in %.2f s = %,.0f"
                        + " readings/s, %,d bytes%n", format, round, written, nanos / 1e9, written / (nanos / 1e9), bytes);
            }
        }
    }

    /** Reads the whole body; prints when its first bytes came, which shows whether it streams. */
    private static long httpGet(URL url, String token) throws IOException {
        long start = System.nanoTime();
        HttpURLConnection c = (HttpURLConnection) url.openConnection();
        c.setRequestProperty("Authorization", "Bearer " + token);
        assertEquals(200, c.getResponseCode());
        long bytes = 0;
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = c.getInputStream()) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                if (bytes == 0) {
                    System.out.printf(Locale.ROOT, "EXPORT THROUGHPUT first bytes after %.3f s%n", (System.nanoTime() - start) / 1e9);
                }
                bytes += n;
            }
        }
        return bytes;
    }

    private static void report(String what, long readings, long fhirNanos, long fhirBytes, long csvNanos, long csvBytes) {
        System.out.printf(Locale.ROOT, "EXPORT THROUGHPUT %s: FHIR %,d readings in %.2f s = %,.0f readings/s (%,d bytes);"
                        + " CSV %.2f s = %,.0f readings/s (%,d bytes)%n", what, readings, fhirNanos / 1e9,
                readings / (fhirNanos / 1e9), fhirBytes, csvNanos / 1e9, readings / (csvNanos / 1e9), csvBytes);
    }
}
