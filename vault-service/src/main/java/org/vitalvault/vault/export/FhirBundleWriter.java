package org.vitalvault.vault.export;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.vitalvault.metric.Metric;
import org.vitalvault.reading.Reading;

/**
 * The FHIR R4 export: one Bundle of type {@code collection}, written with Jackson's streaming
 * generator so that no part of it but the current hour is ever in memory.
 *
 * <ul>
 *   <li>One Patient for the owner, with the owner id as its id and nothing else: the vault holds
 *       no demographics.</li>
 *   <li>One Device per device: identifier {@code urn:uuid:<device id>} (system
 *       {@code urn:ietf:rfc:3986}), its name as the user-friendly name, status active or inactive
 *       (unpaired), patient → the Patient.</li>
 *   <li>Observations, status final, category vital-signs (activity for steps), code the metric's
 *       LOINC code, subject and performer → Patient, device → Device, values in the metric's
 *       canonical unit as a UCUM quantity. Per (device, metric, hour): one Observation with
 *       {@code valueSampledData} (origin 0, period in ms, one dimension, "E" for an empty slot) and
 *       {@code effectivePeriod} when the readings lie on a regular grid ({@link SampledGrid}), else
 *       one Observation per reading with {@code valueQuantity} and {@code effectiveDateTime}.</li>
 * </ul>
 * Every entry's fullUrl is {@code urn:uuid:<id>} and every reference uses it. Observation ids are
 * stable across exports ({@link ObservationIds}). Decimals are written as {@link TextBuffer}
 * formats them: exact, plain, without trailing zeros. The reading's received time is not part of
 * FHIR's Observation and is left out (the CSV export has it).
 */
final class FhirBundleWriter implements ExportWriter {

    static final String MEDIA_TYPE = "application/fhir+json";
    static final String LOINC = "http://loinc.org";
    static final String UCUM = "http://unitsofmeasure.org";
    static final String CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/observation-category";
    static final String IDENTIFIER_SYSTEM = "urn:ietf:rfc:3986";

    /** Metrics whose Observations are category activity rather than vital-signs. */
    private static final Set<String> ACTIVITY = Set.of("steps");
    private static final JsonFactory FRAGMENTS = new JsonFactory();

    private final JsonGenerator gen;
    private final UUID owner;
    private final String patientUrl;
    private final Instant timestamp;
    private final UUID bundleId;
    private final ObservationIds ids;
    private final Map<UUID, String> deviceUrls = new HashMap<>();
    private final Map<Metric, MetricJson> metricJson = new IdentityHashMap<>();
    private final TextBuffer data = new TextBuffer(1 << 15);
    private final TextBuffer scratch = new TextBuffer(64);
    private final InstantText times = new InstantText();

    /** The pre-serialised parts of an Observation that depend only on its metric. */
    private record MetricJson(String category, String code, String ucum) {
    }

    /**
     * @param gen       where the bundle goes; the caller creates and closes it
     * @param owner     the owner, whose id becomes the Patient's
     * @param timestamp when the bundle was assembled
     * @param bundleId  the Bundle's id
     */
    FhirBundleWriter(JsonGenerator gen, UUID owner, Instant timestamp, UUID bundleId) {
        this.gen = gen;
        this.owner = owner;
        this.patientUrl = "urn:uuid:" + owner;
        this.timestamp = timestamp;
        this.bundleId = bundleId;
        this.ids = new ObservationIds(owner);
    }

    @Override
    public void begin(List<ExportDevice> devices) throws IOException {
        gen.writeStartObject();
        gen.writeStringField("resourceType", "Bundle");
        gen.writeStringField("id", bundleId.toString());
        gen.writeStringField("type", "collection");
        gen.writeStringField("timestamp", timestamp.toString());
        gen.writeArrayFieldStart("entry");

        gen.writeStartObject();
        gen.writeStringField("fullUrl", patientUrl);
        gen.writeObjectFieldStart("resource");
        gen.writeStringField("resourceType", "Patient");
        gen.writeStringField("id", owner.toString());
        gen.writeEndObject();
        gen.writeEndObject();

        for (ExportDevice d : devices) {
            device(d);
        }
    }

    @Override
    public void hour(Metric metric, List<Reading> readings) throws IOException {
        if (readings.isEmpty()) {
            return;
        }
        MetricJson m = metricJson.computeIfAbsent(metric, this::json);
        for (List<Reading> ofDevice : byDevice(readings)) {
            UUID device = ofDevice.get(0).deviceId();
            String deviceUrl = deviceUrls.get(device);
            if (deviceUrl == null) {
                // A device the vault no longer has a record of: still described, so the reference resolves.
                device(new ExportDevice(device, null, false));
                deviceUrl = deviceUrls.get(device);
            }
            SampledGrid grid = SampledGrid.of(ofDevice);
            if (grid != null) {
                sampled(metric, m, deviceUrl, ofDevice, grid);
            } else {
                for (Reading r : ofDevice) {
                    single(metric, m, deviceUrl, r);
                }
            }
        }
    }

    @Override
    public void end() throws IOException {
        gen.writeEndArray();
        gen.writeEndObject();
        gen.flush();
    }

    private void device(ExportDevice d) throws IOException {
        String url = "urn:uuid:" + d.id();
        if (deviceUrls.putIfAbsent(d.id(), url) != null) {
            return;
        }
        gen.writeStartObject();
        gen.writeStringField("fullUrl", url);
        gen.writeObjectFieldStart("resource");
        gen.writeStringField("resourceType", "Device");
        gen.writeStringField("id", d.id().toString());
        gen.writeArrayFieldStart("identifier");
        gen.writeStartObject();
        gen.writeStringField("system", IDENTIFIER_SYSTEM);
        gen.writeStringField("value", url);
        gen.writeEndObject();
        gen.writeEndArray();
        gen.writeStringField("status", d.paired() ? "active" : "inactive");
        if (d.name() != null && !d.name().isBlank()) {
            gen.writeArrayFieldStart("deviceName");
            gen.writeStartObject();
            gen.writeStringField("name", d.name().strip());
            gen.writeStringField("type", "user-friendly-name");
            gen.writeEndObject();
            gen.writeEndArray();
        }
        reference("patient", patientUrl);
        gen.writeEndObject();
        gen.writeEndObject();
    }

    private void sampled(Metric metric, MetricJson m, String deviceUrl, List<Reading> readings, SampledGrid grid)
            throws IOException {
        startObservation(ids.of(metric.code(), readings.get(0).deviceId(), grid.start(), ObservationIds.SAMPLED), m);
        gen.writeObjectFieldStart("effectivePeriod");
        instantField("start", grid.start());
        instantField("end", grid.end());
        gen.writeEndObject();
        performer();

        data.clear();
        int next = 0;
        for (Reading r : readings) {
            int slot = grid.slotOf(r.deviceTimeMillis());
            for (; next < slot; next++) {
                data.append('E').append(' ');
            }
            data.appendDecimal(r.value()).append(' ');
            next++;
        }
        gen.writeObjectFieldStart("valueSampledData");
        gen.writeObjectFieldStart("origin");
        gen.writeNumberField("value", 0);
        unit(m);
        gen.writeEndObject();
        gen.writeFieldName("period");
        scratch.clear();
        scratch.appendLong(grid.period());
        gen.writeNumber(scratch.chars(), 0, scratch.length());
        gen.writeNumberField("dimensions", 1);
        gen.writeFieldName("data");
        gen.writeString(data.chars(), 0, data.length() - 1); // without the last space
        gen.writeEndObject();
        endObservation(deviceUrl);
    }

    private void single(Metric metric, MetricJson m, String deviceUrl, Reading r) throws IOException {
        startObservation(ids.of(metric.code(), r.deviceId(), r.deviceTimeMillis(), ObservationIds.SINGLE), m);
        instantField("effectiveDateTime", r.deviceTimeMillis());
        performer();
        gen.writeObjectFieldStart("valueQuantity");
        gen.writeFieldName("value");
        scratch.clear();
        scratch.appendDecimal(r.value());
        gen.writeNumber(scratch.chars(), 0, scratch.length());
        unit(m);
        gen.writeEndObject();
        endObservation(deviceUrl);
    }

    private void startObservation(UUID id, MetricJson m) throws IOException {
        String text = id.toString();
        gen.writeStartObject();
        gen.writeFieldName("fullUrl");
        scratch.clear();
        scratch.append("urn:uuid:").append(text);
        gen.writeString(scratch.chars(), 0, scratch.length());
        gen.writeObjectFieldStart("resource");
        gen.writeStringField("resourceType", "Observation");
        gen.writeStringField("id", text);
        gen.writeStringField("status", "final");
        gen.writeFieldName("category");
        gen.writeRawValue(m.category());
        gen.writeFieldName("code");
        gen.writeRawValue(m.code());
        reference("subject", patientUrl);
    }

    /** The owner measured it with their own device: they are the performer (and subject). */
    private void performer() throws IOException {
        gen.writeArrayFieldStart("performer");
        gen.writeStartObject();
        gen.writeStringField("reference", patientUrl);
        gen.writeEndObject();
        gen.writeEndArray();
    }

    private void endObservation(String deviceUrl) throws IOException {
        reference("device", deviceUrl);
        gen.writeEndObject();
        gen.writeEndObject();
    }

    private void unit(MetricJson m) throws IOException {
        gen.writeStringField("unit", m.ucum());
        gen.writeStringField("system", UCUM);
        gen.writeStringField("code", m.ucum());
    }

    private void reference(String field, String url) throws IOException {
        gen.writeObjectFieldStart(field);
        gen.writeStringField("reference", url);
        gen.writeEndObject();
    }

    private void instantField(String field, long epochMillis) throws IOException {
        gen.writeFieldName(field);
        scratch.clear();
        times.append(scratch, epochMillis);
        gen.writeString(scratch.chars(), 0, scratch.length());
    }

    /** The readings split by device, each list in time order; one list, no copy, for one device. */
    private static List<List<Reading>> byDevice(List<Reading> readings) {
        UUID first = readings.get(0).deviceId();
        boolean one = true;
        for (int i = 1; i < readings.size() && one; i++) {
            UUID d = readings.get(i).deviceId();
            one = d == first || d.equals(first);
        }
        if (one) {
            return List.of(readings);
        }
        Map<UUID, List<Reading>> split = new LinkedHashMap<>();
        for (Reading r : readings) {
            split.computeIfAbsent(r.deviceId(), d -> new ArrayList<>()).add(r);
        }
        return new ArrayList<>(split.values());
    }

    /** Category and code of a metric's Observations, serialised once per export. */
    private MetricJson json(Metric metric) {
        boolean activity = ACTIVITY.contains(metric.code());
        try {
            StringWriter category = new StringWriter();
            try (JsonGenerator g = FRAGMENTS.createGenerator(category)) {
                g.writeStartArray();
                g.writeStartObject();
                g.writeArrayFieldStart("coding");
                g.writeStartObject();
                g.writeStringField("system", CATEGORY_SYSTEM);
                g.writeStringField("code", activity ? "activity" : "vital-signs");
                g.writeStringField("display", activity ? "Activity" : "Vital Signs");
                g.writeEndObject();
                g.writeEndArray();
                g.writeEndObject();
                g.writeEndArray();
            }
            StringWriter code = new StringWriter();
            try (JsonGenerator g = FRAGMENTS.createGenerator(code)) {
                g.writeStartObject();
                g.writeArrayFieldStart("coding");
                g.writeStartObject();
                g.writeStringField("system", LOINC);
                g.writeStringField("code", metric.loinc());
                g.writeStringField("display", metric.display());
                g.writeEndObject();
                g.writeEndArray();
                g.writeStringField("text", metric.display());
                g.writeEndObject();
            }
            return new MetricJson(category.toString(), code.toString(), metric.ucum());
        } catch (IOException e) {
            throw new UncheckedIOException("serialising to a string failed", e);
        }
    }
}
