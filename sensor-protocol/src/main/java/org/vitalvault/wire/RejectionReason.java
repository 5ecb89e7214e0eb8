package org.vitalvault.wire;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every reason a device's record or message can be rejected for, with its wire code: the string a
 * device reads in its receipt ({@code receipts/{deviceId}}) and operators see as the {@code reason}
 * label of {@code vitalvault_gateway_records_rejected_total} and in {@code /rejections}.
 *
 * <p>The codes are a contract with devices: never rename one; add a constant (and its row in
 * {@code docs/protocol/rejection-reasons.md}, which a test checks) for a new cause. A code names the
 * problem, never the content, so a rejection can be counted and logged without exposing a value.
 */
public enum RejectionReason {

    // --- the message as a whole (index -1 in a receipt)
    /** The topic is not {@code readings/{deviceId}} or {@code readings/{deviceId}/json|cbor}. */
    MALFORMED_TOPIC("malformed-topic"),
    /** No paired device has this id (never paired, or unpaired). */
    UNKNOWN_DEVICE("unknown-device"),
    /** A device paired with {@code macRequired} sent a message without a COSE_Mac0. */
    MAC_REQUIRED("mac-required"),
    /** A COSE_Mac0 arrived from a device the vault holds no MAC key for. */
    MAC_KEY_UNKNOWN("mac-key-unknown"),
    /** A well-formed COSE_Mac0 of a supported algorithm whose tag does not match: tampered, or another key. */
    MAC_INVALID("mac-invalid"),
    /** Not a COSE_Mac0 structure the gateway accepts (see {@code CoseMac0} for the rules). */
    MAC_MALFORMED("mac-malformed"),
    /** The COSE protected header does not name HMAC 256/256 (alg 5). */
    MAC_ALGORITHM_UNSUPPORTED("mac-algorithm-unsupported"),
    /** The MQTT content type names no SenML encoding this gateway reads; the pack was not parsed. */
    UNSUPPORTED_CONTENT_TYPE("unsupported-content-type"),
    /** The pack is larger than the byte limit; it was not parsed. */
    PAYLOAD_TOO_LARGE("payload-too-large"),
    /** The pack holds more records than the limit; none were kept. */
    TOO_MANY_RECORDS("too-many-records"),
    /** The pack is an empty array: RFC 8428 §4 packs hold one or more records. */
    EMPTY_PACK("empty-pack"),
    /** The device exceeded its readings/s or bytes/s quota; nothing of the message was stored.
     *  Publish it again later (the device keeps it buffered). */
    RATE_LIMITED("rate-limited"),
    /** Published with QoS 0; only QoS 1 is accepted (QoS 0 carries no delivery guarantee, so the vault
     *  refuses it rather than store some of it silently). */
    QOS_NOT_SUPPORTED("qos-not-supported"),
    /** The gateway could not process this message (an unexpected error, or it took longer than the
     *  processing deadline); it was rejected and acknowledged so it can never block others. */
    PROCESSING_FAILED("processing-failed"),

    // --- one record (or, for a pack that is not SenML at all, the whole message)
    /** Not SenML of the announced encoding, a field of the wrong type or repeated, an unreadable
     *  name, or a non-finite resolved value or time. */
    MALFORMED("malformed"),
    /** The record (or a base field governing it) has a field this gateway does not understand and
     *  must not ignore: a label ending in '_' (RFC 8428 §4.4). */
    UNSUPPORTED_FIELD("unsupported-field"),
    /** The record is under a SenML version above 10 (RFC 8428 §4.4). */
    UNSUPPORTED_VERSION("unsupported-version"),
    /** A well-formed record without a numeric value: string, boolean, data or sum-only records. */
    NO_NUMERIC_VALUE("no-numeric-value"),
    /** The name matches no metric of the catalogue. */
    UNKNOWN_METRIC("unknown-metric"),
    /** The unit is not one the metric can be converted from. */
    UNIT_MISMATCH("unit-mismatch"),
    /** The value is outside the metric's plausible range. */
    OUT_OF_RANGE("out-of-range"),
    /** The record's time is too far ahead of the gateway's clock. */
    TIME_IN_FUTURE("time-in-future"),
    /** The record's time is older than the accepted window. */
    TOO_OLD("too-old"),
    /** PostgreSQL refused the owner's readings for good (e.g. the owner was erased while they were in flight). */
    STORE_REFUSED("store-refused");

    private static final Map<String, RejectionReason> BY_CODE =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(RejectionReason::code, Function.identity()));

    private final String code;

    RejectionReason(String code) {
        this.code = code;
    }

    /** The wire code: lower case words joined by '-'. */
    public String code() {
        return code;
    }

    /** The reason with this wire code, or empty for a code this version does not know. */
    public static Optional<RejectionReason> fromCode(String code) {
        return Optional.ofNullable(BY_CODE.get(code));
    }

    /** The wire code, so that logs and string concatenation show what devices see. */
    @Override
    public String toString() {
        return code;
    }
}
