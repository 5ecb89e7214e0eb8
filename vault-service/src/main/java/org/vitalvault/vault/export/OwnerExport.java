package org.vitalvault.vault.export;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.vitalvault.metric.Metric;
import org.vitalvault.metric.MetricCatalogue;
import org.vitalvault.reading.Reading;
import org.vitalvault.segment.SegmentCodec;
import org.vitalvault.store.SealedStore;
import org.vitalvault.vault.audit.AuditKind;
import org.vitalvault.vault.audit.AuditLog;
import org.vitalvault.vault.device.DeviceNames;
import org.vitalvault.vault.keys.OwnerKeyring;
import org.vitalvault.vault.notify.Notice;
import org.vitalvault.vault.notify.NoticeKind;
import org.vitalvault.vault.notify.OwnerNotices;
import org.vitalvault.vault.notify.Sentences;
import org.vitalvault.vault.readings.OwnerData;

/**
 * Streams everything an owner's vault holds, in one REPEATABLE READ snapshot so the export is
 * consistent even while compaction moves readings between pending batches and compacted hours:
 * the devices, then every catalogue metric in catalogue order, hour by hour, each reading once.
 *
 * <p>Memory stays bounded by one chunk of at most {@link #CHUNK} of one metric (a day of 1 Hz
 * readings is ~86,000 readings), however large the vault: the hours that hold data are listed
 * first, then read a chunk at a time. Metrics stored under a code the catalogue no longer has are
 * left out: there is no unit or LOINC code to describe them with.
 *
 * <p>The snapshot (a read-only transaction and the owner's opened keys) lives as long as the
 * stream; a slow client keeps it open that long.
 */
@ApplicationScoped
public class OwnerExport {

    private static final MetricCatalogue CATALOGUE = MetricCatalogue.standard();
    /** How much of one metric is read at once: a day, at most. */
    static final Duration CHUNK = Duration.ofHours(24);
    private static final Duration HOUR = Duration.ofHours(1);

    @Inject
    OwnerData data;

    @Inject
    ObjectMapper json;

    @Inject
    Clock clock;

    @Inject
    OwnerNotices notices;

    @Inject
    AuditLog audit;

    /**
     * Tells the owner an export is being made, before its first byte, and logs it in the owner's chain
     * of the transparency log in the same transaction: an export cut short (or taken with a stolen
     * token) is announced and logged all the same.
     */
    @Transactional
    public void announce(UUID ownerId, ExportFormat format) {
        notices.post(ownerId, new Notice(NoticeKind.ACCOUNT, Sentences.exported(format.name())));
        audit.owner(ownerId, AuditKind.DATA_EXPORTED, Map.of("format", format.name()));
    }

    /** Writes the owner's export to {@code out}, which is flushed but not closed. */
    public void write(UUID ownerId, ExportFormat format, OutputStream out) throws IOException {
        try {
            data.inSnapshot(ownerId, (c, keys) -> {
                try {
                    writeSnapshot(c, keys, ownerId, format, out);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return null;
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private void writeSnapshot(Connection c, OwnerKeyring.Session keys, UUID ownerId, ExportFormat format,
                               OutputStream out) throws SQLException, IOException {
        JsonGenerator gen = null;
        ExportWriter writer;
        if (format == ExportFormat.FHIR) {
            gen = json.getFactory().createGenerator(out);
            gen.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            writer = new FhirBundleWriter(gen, ownerId, clock.instant(), UUID.randomUUID());
        } else {
            writer = new CsvExportWriter(out);
        }
        writer.begin(devices(c, keys, ownerId));
        Map<String, List<Instant>> hours = SealedStore.hoursWithData(c, ownerId);
        for (Metric metric : CATALOGUE.all()) {
            List<Instant> mine = hours.getOrDefault(metric.code(), List.of());
            int i = 0;
            while (i < mine.size()) {
                Instant from = mine.get(i);
                Instant limit = from.plus(CHUNK);
                int j = i;
                while (j < mine.size() && mine.get(j).isBefore(limit)) {
                    j++;
                }
                chunk(c, keys, ownerId, metric, mine.subList(i, j), writer);
                i = j;
            }
        }
        writer.end();
        if (gen != null) {
            gen.close();
        }
        out.flush();
    }

    /** Hours (ascending) of one metric within one chunk: read together, written hour by hour. */
    private static void chunk(Connection c, OwnerKeyring.Session keys, UUID ownerId, Metric metric,
                              List<Instant> hours, ExportWriter writer) throws SQLException, IOException {
        Instant from = hours.get(0);
        Instant to = hours.get(hours.size() - 1).plus(HOUR);
        Map<Instant, List<Reading>> compacted = new HashMap<>();
        for (SealedStore.Hour h : SealedStore.hours(c, keys, ownerId, metric.code(), from, to, true)) {
            compacted.put(h.bucket(), h.points());
        }
        Map<Instant, List<Reading>> pending = SealedStore.pending(c, keys, ownerId, metric.code(), from, to).readings();
        for (Instant hour : hours) {
            List<Reading> points = compacted.remove(hour);
            List<Reading> more = pending.remove(hour);
            List<Reading> unique;
            if (more == null) {
                // A compacted hour alone is already unique and in (time, device) order.
                unique = points == null ? List.of() : points;
            } else if (points == null) {
                unique = SegmentCodec.deduplicate(more);
            } else {
                List<Reading> all = new ArrayList<>(points.size() + more.size());
                all.addAll(points);
                all.addAll(more);
                unique = SegmentCodec.deduplicate(all);
            }
            writer.hour(metric, unique);
        }
    }

    /** Every device the owner has or had paired, in pairing order. */
    private static List<ExportDevice> devices(Connection c, OwnerKeyring.Session keys, UUID ownerId) throws SQLException {
        List<ExportDevice> devices = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select device_id, name, name_sealed, name_key_version, unpaired_at from device
                 where owner_id = ? order by paired_at, device_id
                """)) {
            ps.setObject(1, ownerId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    UUID id = rs.getObject(1, UUID.class);
                    int version = rs.getInt(4);
                    Integer keyVersion = rs.wasNull() ? null : version;
                    devices.add(new ExportDevice(id, DeviceNames.name(keys, id, rs.getString(2), rs.getBytes(3), keyVersion),
                            rs.getTimestamp(5) == null));
                }
            }
        }
        return devices;
    }
}
