package org.vitalvault.gateway.senml;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes SenML JSON packs (RFC 8428, {@code application/senml+json}) into resolved records.
 *
 * <p>Resolution follows §4.6: base name, base time, base unit, base value and base version carry
 * over to later records until replaced; a resolved time below 2^28 is relative to receipt. A record
 * without a numeric value ({@code v}, or a base value alone) is rejected with
 * {@code no-numeric-value}: the vault stores vitals, not strings or booleans. Limits on pack size
 * are enforced before parsing so that a hostile payload costs little.
 *
 * <p>Thread-safe: it holds only an {@link ObjectMapper}.
 */
public final class SenmlJsonDecoder {

    /** SenML §4.5.3: times below 2^28 s are relative to now. */
    static final double RELATIVE_TIME_LIMIT = 268_435_456d;

    private final ObjectMapper mapper = new ObjectMapper();
    private final int maxPayloadBytes;
    private final int maxRecords;

    public SenmlJsonDecoder(int maxPayloadBytes, int maxRecords) {
        this.maxPayloadBytes = maxPayloadBytes;
        this.maxRecords = maxRecords;
    }

    /**
     * @param payload        the raw pack
     * @param receivedSeconds receipt time, seconds since the epoch, for relative times
     */
    public SenmlResult decode(byte[] payload, double receivedSeconds) {
        if (payload.length > maxPayloadBytes) {
            return SenmlResult.wholePackRejected("payload-too-large", 1);
        }
        JsonNode pack;
        try {
            pack = mapper.readTree(payload);
        } catch (JsonProcessingException e) {
            return SenmlResult.wholePackRejected("malformed", 1);
        } catch (IOException e) {
            return SenmlResult.wholePackRejected("malformed", 1);
        }
        if (pack == null || !pack.isArray()) {
            return SenmlResult.wholePackRejected("malformed", 1);
        }
        if (pack.size() > maxRecords) {
            return SenmlResult.wholePackRejected("too-many-records", pack.size());
        }
        List<SenmlRecord> records = new ArrayList<>(pack.size());
        List<SenmlResult.RecordRejection> rejections = new ArrayList<>();
        String baseName = "";
        double baseTime = 0;
        String baseUnit = null;
        double baseValue = 0;
        boolean hasBaseValue = false;
        for (int i = 0; i < pack.size(); i++) {
            JsonNode r = pack.get(i);
            if (!r.isObject()) {
                rejections.add(new SenmlResult.RecordRejection(i, "malformed", 1));
                continue;
            }
            // Base fields take effect from their own record on (§4.1), even if that record is rejected.
            if (r.has("bver") && (!r.get("bver").isIntegralNumber() || r.get("bver").asInt() > 10)) {
                rejections.add(new SenmlResult.RecordRejection(i, "unsupported-version", 1));
                continue;
            }
            if (r.has("bn")) {
                if (!r.get("bn").isTextual()) {
                    rejections.add(new SenmlResult.RecordRejection(i, "malformed", 1));
                    continue;
                }
                baseName = r.get("bn").asText();
            }
            if (r.has("bt")) {
                if (!r.get("bt").isNumber()) {
                    rejections.add(new SenmlResult.RecordRejection(i, "malformed", 1));
                    continue;
                }
                baseTime = r.get("bt").asDouble();
            }
            if (r.has("bu")) {
                baseUnit = r.get("bu").isTextual() ? r.get("bu").asText() : null;
            }
            if (r.has("bv")) {
                if (!r.get("bv").isNumber()) {
                    rejections.add(new SenmlResult.RecordRejection(i, "malformed", 1));
                    continue;
                }
                baseValue = r.get("bv").asDouble();
                hasBaseValue = true;
            }
            JsonNode n = r.get("n");
            String name = baseName + (n != null && n.isTextual() ? n.asText() : "");
            if (name.isEmpty() || (n != null && !n.isTextual())) {
                rejections.add(new SenmlResult.RecordRejection(i, "malformed", 1));
                continue;
            }
            JsonNode v = r.get("v");
            if (v != null && !v.isNumber()) {
                rejections.add(new SenmlResult.RecordRejection(i, "malformed", 1));
                continue;
            }
            if (v == null && (!hasBaseValue || r.has("vs") || r.has("vb") || r.has("vd") || r.has("s"))) {
                rejections.add(new SenmlResult.RecordRejection(i, "no-numeric-value", 1));
                continue;
            }
            JsonNode t = r.get("t");
            if (t != null && !t.isNumber()) {
                rejections.add(new SenmlResult.RecordRejection(i, "malformed", 1));
                continue;
            }
            double time = baseTime + (t == null ? 0 : t.asDouble());
            if (time < RELATIVE_TIME_LIMIT) {
                time = receivedSeconds + time;
            }
            double value = baseValue + (v == null ? 0 : v.asDouble());
            if (!Double.isFinite(value) || !Double.isFinite(time)) {
                rejections.add(new SenmlResult.RecordRejection(i, "malformed", 1));
                continue;
            }
            JsonNode u = r.get("u");
            String unit = u != null && u.isTextual() ? u.asText() : baseUnit;
            records.add(new SenmlRecord(name, unit, value, time));
        }
        return new SenmlResult(records, rejections);
    }
}
