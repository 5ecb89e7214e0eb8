package org.vitalvault.senml;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Writes records as a SenML JSON pack (RFC 8428 §5), for devices, the simulator and tests, with
 * {@code bn}, {@code bt} and {@code bu} factored out where that is exact (see
 * {@link SenmlPackLayout}).
 *
 * <p>Guarantee: {@link SenmlJsonDecoder} reads the pack back as exactly the same records, provided
 * times are absolute (≥ 2^28 s); smaller times are written as given and so read back as relative
 * to receipt (§4.5.3). Numbers are written so they parse to the same double: integral values up to
 * 10^15 as integers, others in Java's shortest round-trip form with a lower-case exponent (§5).
 *
 * <p>Thread-safe.
 */
public final class SenmlJsonEncoder {

    private static final JsonFactory JSON = new JsonFactory();
    private static final double MAX_PLAIN_INTEGER = 1e15;

    /**
     * @throws IllegalArgumentException if {@code records} is empty, a name breaks RFC 8428 §4.5.1, or
     *                                  a value or time is not finite
     */
    public byte[] encode(List<SenmlRecord> records) {
        SenmlPackLayout layout = SenmlPackLayout.of(records);
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + 48 * records.size());
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartArray();
            boolean first = true;
            for (SenmlPackLayout.Entry entry : layout.entries()) {
                json.writeStartObject();
                if (first) {
                    if (!layout.baseName().isEmpty()) {
                        json.writeStringField(SenmlLabel.BASE_NAME.json, layout.baseName());
                    }
                    if (layout.baseTime() != null) {
                        json.writeFieldName(SenmlLabel.BASE_TIME.json);
                        json.writeNumber(number(layout.baseTime()));
                    }
                    if (layout.baseUnit() != null) {
                        json.writeStringField(SenmlLabel.BASE_UNIT.json, layout.baseUnit());
                    }
                    first = false;
                }
                if (entry.name() != null) {
                    json.writeStringField(SenmlLabel.NAME.json, entry.name());
                }
                if (entry.unit() != null) {
                    json.writeStringField(SenmlLabel.UNIT.json, entry.unit());
                }
                json.writeFieldName(SenmlLabel.VALUE.json);
                json.writeNumber(number(entry.value()));
                if (entry.time() != null) {
                    json.writeFieldName(SenmlLabel.TIME.json);
                    json.writeNumber(number(entry.time()));
                }
                json.writeEndObject();
            }
            json.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory failed", e);
        }
        return out.toByteArray();
    }

    /** JSON text that parses back to exactly {@code value}. */
    static String number(double value) {
        boolean negativeZero = value == 0 && Double.doubleToRawLongBits(value) != 0;
        if (value == Math.rint(value) && Math.abs(value) < MAX_PLAIN_INTEGER && !negativeZero) {
            return Long.toString((long) value);
        }
        // Double.toString round-trips exactly; RFC 8428 §5 wants the exponent's "e" in lower case.
        return Double.toString(value).replace('E', 'e');
    }
}
