package org.vitalvault.senml;

/**
 * The stable reason codes found in {@link SenmlResult.RecordRejection#reason()}. They name the
 * problem, never the content: a rejection can be counted and logged without exposing a value.
 */
public final class SenmlReasons {

    /** Not SenML of the announced encoding, a field of the wrong type or repeated, an unreadable name,
     *  a must-understand field ({@code _} suffix, RFC 8428 §4.4), or a non-finite resolved value or time. */
    public static final String MALFORMED = "malformed";
    /** The pack is larger than the decoder's byte limit; it was not parsed. */
    public static final String PAYLOAD_TOO_LARGE = "payload-too-large";
    /** The pack holds more records than the decoder's limit; none were kept. */
    public static final String TOO_MANY_RECORDS = "too-many-records";
    /** A well-formed record without a numeric value: string, boolean, data or sum-only records. */
    public static final String NO_NUMERIC_VALUE = "no-numeric-value";
    /** The record is under a SenML version above 10 (RFC 8428 §4.4: must not be used). */
    public static final String UNSUPPORTED_VERSION = "unsupported-version";
    /** The MQTT content type names no SenML encoding this gateway reads; the pack was not parsed. */
    public static final String UNSUPPORTED_CONTENT_TYPE = "unsupported-content-type";

    private SenmlReasons() {
    }
}
