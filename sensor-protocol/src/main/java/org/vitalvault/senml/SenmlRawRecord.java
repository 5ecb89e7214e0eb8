package org.vitalvault.senml;

import org.vitalvault.wire.RejectionReason;

/**
 * One SenML record as read off the wire, before resolution: which labels it carried, their values,
 * and whether anything in it was wrong. Encoding-neutral: the JSON and CBOR decoders fill it (each
 * checking its own encoding's types), {@link SenmlResolver} turns it into a resolved record.
 *
 * <p>Decoders reuse one instance across the records of a pack ({@link #clear()}), so decoding
 * allocates no holder per record. Holds health values: it has no {@code toString}, by design.
 */
final class SenmlRawRecord {

    private boolean notARecord;
    private boolean malformed;
    private boolean unsupportedField;
    /** Why the base fields this record sets cannot be known, or null when they can. */
    private RejectionReason baseFieldProblem;
    private int present;
    private String baseName;
    private String baseUnit;
    private String name;
    private String unit;
    private double baseTime;
    private double baseValue;
    private double value;
    private double time;
    private long version;

    void clear() {
        notARecord = false;
        malformed = false;
        unsupportedField = false;
        baseFieldProblem = null;
        present = 0;
        baseName = null;
        baseUnit = null;
        name = null;
        unit = null;
    }

    /** The pack element is not a map/object at all. */
    void markNotARecord() {
        notARecord = true;
    }

    /** A known field had a value of the wrong type (or an invalid one, such as version 0). */
    void markWrongType(SenmlLabel label) {
        malformed = true;
        if (label.base) {
            baseFieldProblem = RejectionReason.MALFORMED; // takes precedence over an unsupported base field
        }
    }

    /**
     * An extension field ending in '_' (§4.4). A base extension (label starting with 'b') would
     * govern later records too, so they cannot be resolved either.
     */
    void markMustUnderstand(String extensionLabel) {
        unsupportedField = true;
        if (extensionLabel.startsWith("b") && baseFieldProblem == null) {
            baseFieldProblem = RejectionReason.UNSUPPORTED_FIELD;
        }
    }

    void setText(SenmlLabel label, String text) {
        if (!claim(label)) {
            return;
        }
        switch (label) {
            case BASE_NAME -> baseName = text;
            case BASE_UNIT -> baseUnit = text;
            case NAME -> name = text;
            case UNIT -> unit = text;
            default -> {
                // vs: only its presence matters, the vault stores numbers
            }
        }
    }

    void setNumber(SenmlLabel label, double number) {
        if (!claim(label)) {
            return;
        }
        switch (label) {
            case BASE_TIME -> baseTime = number;
            case BASE_VALUE -> baseValue = number;
            case VALUE -> value = number;
            case TIME -> time = number;
            default -> {
                // bs, s, ut: checked for type, otherwise unused (sums are not stored, see SenmlResolver)
            }
        }
    }

    void setVersion(long declared) {
        if (!claim(SenmlLabel.BASE_VERSION)) {
            return;
        }
        if (declared < 1) {
            markWrongType(SenmlLabel.BASE_VERSION); // §4.1: a positive integer
            return;
        }
        version = declared;
    }

    /** For fields whose content is never used (vb, vd): only that they were there. */
    void setPresent(SenmlLabel label) {
        claim(label);
    }

    /** Records the label; a label seen twice makes the record ambiguous, hence malformed. */
    private boolean claim(SenmlLabel label) {
        if ((present & label.bit) != 0) {
            markWrongType(label);
            return false;
        }
        present |= label.bit;
        return true;
    }

    boolean has(SenmlLabel label) {
        return (present & label.bit) != 0;
    }

    boolean isNotARecord() {
        return notARecord;
    }

    boolean isMalformed() {
        return malformed;
    }

    /** The record carried a must-understand extension field ({@link #markMustUnderstand}). */
    boolean hasUnsupportedField() {
        return unsupportedField;
    }

    /** Why the base fields set by this record cannot be known (malformed or unsupported), or null. */
    RejectionReason baseFieldProblem() {
        return baseFieldProblem;
    }

    String baseName() {
        return baseName;
    }

    String baseUnit() {
        return baseUnit;
    }

    String name() {
        return name;
    }

    String unit() {
        return unit;
    }

    double baseTime() {
        return baseTime;
    }

    double baseValue() {
        return baseValue;
    }

    double value() {
        return value;
    }

    double time() {
        return time;
    }

    long version() {
        return version;
    }
}
