package org.vitalvault.senml;

import java.math.BigDecimal;
import org.vitalvault.cbor.CborException;
import org.vitalvault.cbor.CborReader;
import org.vitalvault.wire.RejectionReason;

/**
 * Decodes SenML CBOR packs (RFC 8428 §6, {@code application/senml+cbor}) into resolved records,
 * with the same resolution and acceptance policy as JSON ({@link SenmlResolver}).
 *
 * <p>Labels are the integers of §6 Table 4. Text labels are extensions: ignored, unless they end
 * in '_' (must understand, §4.4: the record is rejected as {@code unsupported-field}) or spell a registered JSON label such as {@code "v"}, which makes
 * the record {@code malformed}: the sender meant that field, and ignoring it as an extension could
 * resolve the record to a different value (say, a bare {@code bv}). Unknown integer labels and keys
 * of other types are ignored (§4.4). Numbers may be integers, half/single/double floats or decimal
 * fractions (tag 4 with integer exponent and mantissa, §6); bver must be an unsigned integer;
 * vd a byte string.
 *
 * <p>The pack must be exactly one array (definite, or indefinite for leniency; optionally under
 * the self-described CBOR tag 55799), else it is rejected whole as {@code malformed}, as is any
 * truncation, reserved encoding, invalid UTF-8 or nesting deeper than {@value #MAX_NESTING_DEPTH}; an
 * empty array is rejected whole as {@code empty-pack} (§4: a pack holds one or more records).
 * Declared lengths are checked against the payload before use ({@link CborReader}), so a declared
 * count is never larger than the payload and never drives allocation.
 *
 * <p>Limits, all checked before the work they bound: the payload size (before any parsing), the
 * record count, {@value #MAX_RECORD_FIELDS} fields per record, {@value #MAX_TEXT_BYTES} bytes per
 * decoded text, nesting depth {@value #MAX_NESTING_DEPTH} (the reader recurses no deeper, so a
 * 10,000-level payload is refused without a deep stack). Duplicate labels are found with a bit
 * set, in constant time per field. Work is linear in the payload size.
 *
 * <p>Thread-safe: it holds only its limits.
 */
public final class SenmlCborDecoder {

    /** Room for extension values inside a record; deeper input is refused as malformed. */
    static final int MAX_NESTING_DEPTH = 16;
    /**
     * Fields in one record: the 15 SenML labels and room for extensions. A record with more makes
     * the pack malformed: no sender needs them, and the bound keeps per-record work constant.
     */
    static final int MAX_RECORD_FIELDS = 64;
    /** UTF-8 bytes of a decoded text (names, units, labels, string values); longer makes the pack malformed. */
    static final int MAX_TEXT_BYTES = 4096;
    /** RFC 8949 §3.4.6: a tag that only says "this is CBOR". */
    private static final long SELF_DESCRIBED_CBOR = 55799;
    /** RFC 8949 §3.4.4: decimal fraction [exponent, mantissa]. */
    private static final long DECIMAL_FRACTION = 4;
    /** Beyond this, a decimal fraction is 0 or infinite as a double anyway. */
    private static final long MAX_DECIMAL_EXPONENT = 400;

    private final int maxPayloadBytes;
    private final int maxRecords;

    public SenmlCborDecoder(int maxPayloadBytes, int maxRecords) {
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
        try {
            return decodePack(new CborReader(payload, MAX_NESTING_DEPTH, MAX_TEXT_BYTES), receivedSeconds);
        } catch (CborException e) {
            return malformed();
        }
    }

    private SenmlResult decodePack(CborReader reader, double receivedSeconds) throws CborException {
        if (reader.peekMajorType() == CborReader.MAJOR_TAG && reader.readTag() != SELF_DESCRIBED_CBOR) {
            return malformed();
        }
        if (reader.peekMajorType() != CborReader.MAJOR_ARRAY) {
            return malformed();
        }
        long declared = reader.readArrayStart();
        if (declared > maxRecords) {
            return SenmlResult.wholePackRejected(RejectionReason.TOO_MANY_RECORDS, (int) declared);
        }
        boolean indefinite = declared == CborReader.INDEFINITE;
        SenmlResolver resolver = new SenmlResolver(receivedSeconds);
        SenmlRawRecord raw = new SenmlRawRecord();
        int count = 0;
        while (indefinite ? !reader.peekBreak() : count < declared) {
            count++;
            if (count > maxRecords) {
                reader.skip();
                continue;
            }
            raw.clear();
            if (reader.peekMajorType() == CborReader.MAJOR_MAP) {
                readRecord(reader, raw);
            } else {
                raw.markNotARecord();
                reader.skip();
            }
            resolver.accept(raw);
        }
        if (indefinite) {
            reader.readBreak();
        }
        if (!reader.atEnd()) {
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

    private static void readRecord(CborReader reader, SenmlRawRecord raw) throws CborException {
        long pairs = reader.readMapStart();
        if (pairs > MAX_RECORD_FIELDS) {
            throw new CborException("more fields in a record than the limit");
        }
        for (long i = 0; pairs == CborReader.INDEFINITE ? !reader.peekBreak() : i < pairs; i++) {
            if (i == MAX_RECORD_FIELDS) {
                throw new CborException("more fields in a record than the limit"); // indefinite map
            }
            SenmlLabel label = null;
            if (reader.peekInteger()) {
                label = SenmlLabel.fromCbor(reader.readInteger());
            } else if (reader.peekMajorType() == CborReader.MAJOR_TEXT) {
                String extension = reader.readText();
                SenmlLabel jsonSpelling = SenmlLabel.fromJson(extension);
                if (jsonSpelling != null) {
                    raw.markWrongType(jsonSpelling);
                } else if (SenmlLabel.isMustUnderstand(extension)) {
                    raw.markMustUnderstand(extension);
                }
            } else {
                reader.skip(); // a key of another type, or an integer beyond 64 bits: not a SenML label
            }
            if (label == null) {
                reader.skip();
            } else if (!readField(reader, label, raw)) {
                raw.markWrongType(label);
            }
        }
        if (pairs == CborReader.INDEFINITE) {
            reader.readBreak();
        }
    }

    /** Reads the value for {@code label}; false (value consumed) if its CBOR type is not the label's. */
    private static boolean readField(CborReader reader, SenmlLabel label, SenmlRawRecord raw) throws CborException {
        switch (label.kind) {
            case TEXT:
                if (reader.peekMajorType() != CborReader.MAJOR_TEXT) {
                    break;
                }
                raw.setText(label, reader.readText());
                return true;
            case NUMBER:
                if (reader.peekNumber()) {
                    raw.setNumber(label, reader.readNumber());
                    return true;
                }
                if (reader.peekMajorType() == CborReader.MAJOR_TAG) {
                    return readDecimalFraction(reader, label, raw);
                }
                break;
            case VERSION:
                if (reader.peekMajorType() != CborReader.MAJOR_UNSIGNED) {
                    break;
                }
                if (reader.peekInteger()) {
                    raw.setVersion(reader.readInteger());
                } else {
                    reader.skip();
                    raw.setVersion(Long.MAX_VALUE); // 2^63 or more: certainly not a version we know
                }
                return true;
            case BOOLEAN:
                if (!reader.peekBoolean()) {
                    break;
                }
                reader.readBoolean();
                raw.setPresent(label);
                return true;
            case DATA:
                if (reader.peekMajorType() != CborReader.MAJOR_BYTES) {
                    break;
                }
                reader.skip();
                raw.setPresent(label);
                return true;
            default:
                throw new IllegalStateException("unhandled label kind " + label.kind);
        }
        reader.skip();
        return false;
    }

    /** A tagged number: only tag 4 with two integers is one (RFC 8428 §6). The item is consumed. */
    private static boolean readDecimalFraction(CborReader reader, SenmlLabel label, SenmlRawRecord raw)
            throws CborException {
        if (reader.readTag() != DECIMAL_FRACTION || reader.peekMajorType() != CborReader.MAJOR_ARRAY) {
            reader.skip();
            return false;
        }
        long elements = reader.readArrayStart();
        if (elements != 2 || !reader.peekInteger()) {
            skipRemaining(reader, elements);
            return false;
        }
        long exponent = reader.readInteger();
        if (!reader.peekInteger()) {
            reader.skip();
            return false;
        }
        long mantissa = reader.readInteger();
        if (exponent < -MAX_DECIMAL_EXPONENT || exponent > MAX_DECIMAL_EXPONENT) {
            return false;
        }
        // BigDecimal gives the correctly rounded double of mantissa × 10^exponent.
        raw.setNumber(label, BigDecimal.valueOf(mantissa).scaleByPowerOfTen((int) exponent).doubleValue());
        return true;
    }

    private static void skipRemaining(CborReader reader, long elements) throws CborException {
        if (elements == CborReader.INDEFINITE) {
            while (!reader.peekBreak()) {
                reader.skip();
            }
            reader.readBreak();
            return;
        }
        for (long i = 0; i < elements; i++) {
            reader.skip();
        }
    }

    private static SenmlResult malformed() {
        return SenmlResult.wholePackRejected(RejectionReason.MALFORMED, 1);
    }
}
