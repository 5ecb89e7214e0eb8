package org.vitalvault.senml;

import java.util.ArrayList;
import java.util.List;
import org.vitalvault.wire.RejectionReason;

/**
 * Resolves the records of one SenML pack (RFC 8428 §4.6), in order, whatever encoding they came in:
 * the one place where base fields, relative times and the vault's acceptance policy are applied.
 *
 * <p>Resolution: a base field (bn, bt, bu, bv, bs, bver) applies to its own record and every later
 * one until a record replaces it (§4.1), also when its own record is then rejected (a record with
 * only {@code bn} is how §5.1.7 sets a base name). Name = bn + n; unit = u, else bu; value = bv + v;
 * time = bt + t, and a time below 2^28 is seconds relative to receipt (§4.5.3). A missing base
 * field contributes nothing (not "+ 0", which would turn -0.0 into 0.0).
 *
 * <p>Policy, per record, first match wins:
 * <ol>
 *   <li>not a map: {@code malformed}; in or after a record whose base field could not be read:
 *       {@code malformed} when it was of the wrong type or repeated, {@code unsupported-field} when
 *       it was a must-understand base extension (§4.4, e.g. {@code bscale_}). Later records inherit
 *       base fields that could not be read, so they are rejected rather than resolved against a
 *       guess of their name or time; the first such cause is the reason for all of them;</li>
 *   <li>under a version above 10: {@code unsupported-version} (§4.4). The version only ever goes
 *       up within a pack: §4.4 requires one version per pack, and a record must not escape a newer
 *       version by declaring an older one;</li>
 *   <li>any field of the wrong type or a repeated field: {@code malformed};</li>
 *   <li>a must-understand extension field (label ending in '_', §4.4): {@code unsupported-field}.
 *       The record is well formed, but this gateway does not know what the field changes;</li>
 *   <li>more than one of v/vs/vb/vd (§4.2 "exactly one"), or a name that is empty or breaks
 *       §4.5.1 (letters, digits and {@code - : . / _}, starting with a letter or digit):
 *       {@code malformed};</li>
 *   <li>no numeric value: {@code no-numeric-value}. The record needs v, or else no value field
 *       and no s with a bv in effect. String, boolean and data values are not vitals, and neither
 *       is a sum: a record with s and no v is a sum over time (§4.2, unit × seconds), not the
 *       instantaneous value the vault stores, so the bv it would otherwise inherit is not used;</li>
 *   <li>a resolved value or time that is not finite: {@code malformed}.</li>
 * </ol>
 * Sums (s, bs) and update times (ut) are type-checked and otherwise dropped.
 *
 * <p>Not thread-safe: one resolver per pack.
 */
final class SenmlResolver {

    /** §4.5.3: times below 2^28 s are relative to now. */
    static final double RELATIVE_TIME_LIMIT = 268_435_456d;
    /** The SenML version of RFC 8428, the default when a pack declares none (§4.1). */
    static final long SUPPORTED_VERSION = 10;

    private final double receivedSeconds;
    private final List<SenmlRecord> records = new ArrayList<>();
    private final List<SenmlResult.RecordRejection> rejections = new ArrayList<>();
    private int index;

    private String baseName = "";
    private boolean hasBaseTime;
    private double baseTime;
    private String baseUnit;
    private boolean hasBaseValue;
    private double baseValue;
    private long version = SUPPORTED_VERSION;
    /** Why the base fields in effect cannot be known (a record set one that was unreadable), or null. */
    private RejectionReason baseFieldsUnknown;

    /** @param receivedSeconds receipt time, seconds since the epoch: "now" for relative times */
    SenmlResolver(double receivedSeconds) {
        this.receivedSeconds = receivedSeconds;
    }

    /** Resolves the next record of the pack, or records why it is rejected. */
    void accept(SenmlRawRecord raw) {
        RejectionReason rejection = resolve(raw);
        if (rejection != null) {
            rejections.add(new SenmlResult.RecordRejection(index, rejection, 1));
        }
        index++;
    }

    SenmlResult result() {
        return new SenmlResult(records, rejections);
    }

    /** Adds the resolved record and returns null, or returns the reason it is rejected. */
    private RejectionReason resolve(SenmlRawRecord raw) {
        if (raw.isNotARecord()) {
            return RejectionReason.MALFORMED;
        }
        applyBaseFields(raw);
        if (baseFieldsUnknown != null) {
            return baseFieldsUnknown;
        }
        if (version > SUPPORTED_VERSION) {
            return RejectionReason.UNSUPPORTED_VERSION;
        }
        if (raw.isMalformed()) {
            return RejectionReason.MALFORMED;
        }
        if (raw.hasUnsupportedField()) {
            return RejectionReason.UNSUPPORTED_FIELD;
        }
        String name = raw.has(SenmlLabel.NAME) ? baseName + raw.name() : baseName;
        if (!isValidName(name)) {
            return RejectionReason.MALFORMED;
        }
        int valueFields = count(raw, SenmlLabel.VALUE) + count(raw, SenmlLabel.STRING_VALUE)
                + count(raw, SenmlLabel.BOOLEAN_VALUE) + count(raw, SenmlLabel.DATA_VALUE);
        if (valueFields > 1) {
            return RejectionReason.MALFORMED;
        }
        double value;
        if (raw.has(SenmlLabel.VALUE)) {
            value = hasBaseValue ? baseValue + raw.value() : raw.value();
        } else if (valueFields == 0 && !raw.has(SenmlLabel.SUM) && hasBaseValue) {
            value = baseValue;
        } else {
            return RejectionReason.NO_NUMERIC_VALUE;
        }
        double time;
        if (raw.has(SenmlLabel.TIME)) {
            time = hasBaseTime ? baseTime + raw.time() : raw.time();
        } else {
            time = hasBaseTime ? baseTime : 0;
        }
        if (time < RELATIVE_TIME_LIMIT) {
            time = receivedSeconds + time;
        }
        if (!Double.isFinite(value) || !Double.isFinite(time)) {
            return RejectionReason.MALFORMED;
        }
        String unit = raw.has(SenmlLabel.UNIT) ? raw.unit() : baseUnit;
        records.add(new SenmlRecord(name, unit, value, time, index));
        return null;
    }

    private void applyBaseFields(SenmlRawRecord raw) {
        if (raw.baseFieldProblem() != null) {
            if (baseFieldsUnknown == null) {
                baseFieldsUnknown = raw.baseFieldProblem();
            }
            return;
        }
        if (raw.has(SenmlLabel.BASE_VERSION)) {
            version = Math.max(version, raw.version());
        }
        if (raw.has(SenmlLabel.BASE_NAME)) {
            baseName = raw.baseName();
        }
        if (raw.has(SenmlLabel.BASE_TIME)) {
            hasBaseTime = true;
            baseTime = raw.baseTime();
        }
        if (raw.has(SenmlLabel.BASE_UNIT)) {
            baseUnit = raw.baseUnit();
        }
        if (raw.has(SenmlLabel.BASE_VALUE)) {
            hasBaseValue = true;
            baseValue = raw.baseValue();
        }
    }

    private static int count(SenmlRawRecord raw, SenmlLabel label) {
        return raw.has(label) ? 1 : 0;
    }

    /**
     * RFC 8428 §4.5.1: only A-Z, a-z, 0-9, '-', ':', '.', '/', '_', and the first character a
     * letter or digit. Besides conformance this keeps names safe to use as metric keys and in logs.
     */
    static boolean isValidName(String name) {
        if (name.isEmpty() || !isLetterOrDigit(name.charAt(0))) {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!isLetterOrDigit(c) && c != '-' && c != ':' && c != '.' && c != '/' && c != '_') {
                return false;
            }
        }
        return true;
    }

    private static boolean isLetterOrDigit(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }
}
