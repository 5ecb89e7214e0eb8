package org.vitalvault.senml;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import org.vitalvault.wire.RejectionReason;

/**
 * Decodes SenML JSON packs (RFC 8428 §5, {@code application/senml+json}) into resolved records.
 *
 * <p>Reads the pack in one streaming pass (Jackson {@link JsonParser}, no tree), typing each field
 * by its label, and hands every record to {@link SenmlResolver}, which applies base fields and the
 * acceptance policy (see there). A field of the wrong type rejects its record, not the pack; a pack
 * that is not one well-formed UTF-8 JSON array (syntax error, truncation, trailing content, UTF-16
 * or UTF-32, nesting deeper than {@value #MAX_NESTING_DEPTH}) is rejected whole as
 * {@code malformed}, since nothing in it can be trusted; an empty array {@code []} is rejected
 * whole as {@code empty-pack} (§4: a pack holds one or more records). Extension fields are ignored
 * unless their label ends in '_' (§4.4), which rejects the record as {@code unsupported-field}. Size is checked before parsing; past {@code maxRecords} records the
 * rest are only counted (bounded by the size limit) for the {@code too-many-records} rejection.
 *
 * <p>Thread-safe: the parser factory is shared and immutable; each call has its own parser.
 */
public final class SenmlJsonDecoder {

    /** Array, record, and room for extension values; deeper input is refused as malformed. */
    static final int MAX_NESTING_DEPTH = 16;

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            // Parse errors are dropped, but make sure no payload excerpt can ride along in one.
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();

    private final int maxPayloadBytes;
    private final int maxRecords;

    public SenmlJsonDecoder(int maxPayloadBytes, int maxRecords) {
        this.maxPayloadBytes = maxPayloadBytes;
        this.maxRecords = maxRecords;
    }

    /**
     * @param payload         the raw pack
     * @param receivedSeconds receipt time, seconds since the epoch, for relative times
     */
    public SenmlResult decode(byte[] payload, double receivedSeconds) {
        if (payload.length > maxPayloadBytes) {
            return SenmlResult.wholePackRejected(RejectionReason.PAYLOAD_TOO_LARGE, 1);
        }
        if (!mayBeUtf8(payload)) {
            return malformed();
        }
        try (JsonParser parser = JSON.createParser(payload)) {
            return decodePack(parser, receivedSeconds);
        } catch (IOException e) {
            return malformed();
        }
    }

    private SenmlResult decodePack(JsonParser parser, double receivedSeconds) throws IOException {
        if (parser.nextToken() != JsonToken.START_ARRAY) {
            return malformed();
        }
        SenmlResolver resolver = new SenmlResolver(receivedSeconds);
        SenmlRawRecord raw = new SenmlRawRecord();
        int count = 0;
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (token == null) {
                return malformed();
            }
            count++;
            if (count > maxRecords) {
                parser.skipChildren();
                continue;
            }
            raw.clear();
            if (token == JsonToken.START_OBJECT) {
                readRecord(parser, raw);
            } else {
                raw.markNotARecord();
                parser.skipChildren();
            }
            resolver.accept(raw);
        }
        if (parser.nextToken() != null) {
            return malformed();
        }
        if (count == 0) {
            return SenmlResult.wholePackRejected(RejectionReason.EMPTY_PACK, 1);
        }
        if (count > maxRecords) {
            return SenmlResult.wholePackRejected(RejectionReason.TOO_MANY_RECORDS, count);
        }
        return resolver.result();
    }

    /** Reads one object's fields into {@code raw}; the parser is left on its END_OBJECT. */
    private static void readRecord(JsonParser parser, SenmlRawRecord raw) throws IOException {
        String field;
        while ((field = parser.nextFieldName()) != null) {
            JsonToken value = parser.nextToken();
            SenmlLabel label = SenmlLabel.fromJson(field);
            if (label == null) {
                if (SenmlLabel.isMustUnderstand(field)) {
                    raw.markMustUnderstand(field);
                }
                parser.skipChildren();
                continue;
            }
            if (!readField(parser, value, label, raw)) {
                raw.markWrongType(label);
                parser.skipChildren();
            }
        }
    }

    /** False if the value's JSON type is not the label's. */
    private static boolean readField(JsonParser parser, JsonToken value, SenmlLabel label, SenmlRawRecord raw)
            throws IOException {
        switch (label.kind) {
            case TEXT:
                if (value != JsonToken.VALUE_STRING) {
                    return false;
                }
                raw.setText(label, parser.getText());
                return true;
            case NUMBER:
                if (value != JsonToken.VALUE_NUMBER_INT && value != JsonToken.VALUE_NUMBER_FLOAT) {
                    return false;
                }
                raw.setNumber(label, parser.getDoubleValue());
                return true;
            case VERSION:
                if (value != JsonToken.VALUE_NUMBER_INT) {
                    return false;
                }
                // Beyond long: certainly above 10 when positive; getLongValue would throw.
                raw.setVersion(parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? (parser.getBigIntegerValue().signum() > 0 ? Long.MAX_VALUE : Long.MIN_VALUE)
                        : parser.getLongValue());
                return true;
            case BOOLEAN:
                if (value != JsonToken.VALUE_TRUE && value != JsonToken.VALUE_FALSE) {
                    return false;
                }
                raw.setPresent(label);
                return true;
            case DATA:
                if (value != JsonToken.VALUE_STRING) {
                    return false;
                }
                raw.setPresent(label);
                return true;
            default:
                throw new IllegalStateException("unhandled label kind " + label.kind);
        }
    }

    /**
     * RFC 8428 §5 allows only UTF-8, but Jackson would detect and accept UTF-16/32 from zero bytes
     * or a byte-order mark among the first bytes; those are refused here.
     */
    private static boolean mayBeUtf8(byte[] payload) {
        if (payload.length == 0) {
            return true; // Jackson reports the missing array
        }
        int first = payload[0] & 0xff;
        if (first == 0x00 || first == 0xfe || first == 0xff) {
            return false;
        }
        return payload.length < 2 || payload[1] != 0;
    }

    private static SenmlResult malformed() {
        return SenmlResult.wholePackRejected(RejectionReason.MALFORMED, 1);
    }
}
