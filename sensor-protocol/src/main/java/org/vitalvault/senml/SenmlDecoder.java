package org.vitalvault.senml;

import java.util.Locale;
import org.vitalvault.wire.RejectionReason;

/**
 * Decodes a SenML pack in whichever encoding the message says it uses, JSON or CBOR.
 *
 * <p>The encoding comes from, in order:
 * <ol>
 *   <li>the MQTT 5 content type, matched case-insensitively and ignoring parameters
 *       ({@code ; charset=...}): {@code application/senml+json} or {@code application/json} for
 *       JSON, {@code application/senml+cbor} or {@code application/cbor} for CBOR. Any other
 *       content type rejects the whole pack as {@code unsupported-content-type} without parsing
 *       it: the sender declared something else (SenML XML, EXI, SenSML...), and guessing would
 *       misread it;</li>
 *   <li>when there is no content type (MQTT 3 nodes): the topic suffix {@code json} or
 *       {@code cbor};</li>
 *   <li>otherwise JSON, what every node sent before CBOR existed here.</li>
 * </ol>
 * Both decoders share one resolution and acceptance policy ({@link SenmlResolver}), so a pack
 * yields the same records in either encoding.
 *
 * <p>Thread-safe.
 */
public final class SenmlDecoder {

    public static final String SENML_JSON = "application/senml+json";
    public static final String SENML_CBOR = "application/senml+cbor";
    public static final String JSON = "application/json";
    public static final String CBOR = "application/cbor";

    private final SenmlJsonDecoder jsonDecoder;
    private final SenmlCborDecoder cborDecoder;

    /** Limits apply to either encoding: bytes of the payload, and records in the pack. */
    public SenmlDecoder(int maxPayloadBytes, int maxRecords) {
        this.jsonDecoder = new SenmlJsonDecoder(maxPayloadBytes, maxRecords);
        this.cborDecoder = new SenmlCborDecoder(maxPayloadBytes, maxRecords);
    }

    /**
     * @param contentType     the MQTT 5 content type, or null/blank when the message had none
     * @param topicSuffix     last topic level when it names an encoding ({@code json}/{@code cbor}), else
     *                        anything or null; consulted only without a content type
     * @param payload         the raw pack
     * @param receivedSeconds receipt time, seconds since the epoch, for relative times
     */
    public SenmlResult decode(String contentType, String topicSuffix, byte[] payload, double receivedSeconds) {
        if (contentType != null && !contentType.isBlank()) {
            switch (mediaType(contentType)) {
                case SENML_JSON:
                case JSON:
                    return jsonDecoder.decode(payload, receivedSeconds);
                case SENML_CBOR:
                case CBOR:
                    return cborDecoder.decode(payload, receivedSeconds);
                default:
                    return SenmlResult.wholePackRejected(RejectionReason.UNSUPPORTED_CONTENT_TYPE, 1);
            }
        }
        if ("cbor".equalsIgnoreCase(topicSuffix)) {
            return cborDecoder.decode(payload, receivedSeconds);
        }
        return jsonDecoder.decode(payload, receivedSeconds);
    }

    /** "Application/SenML+JSON; charset=utf-8" → "application/senml+json" (RFC 6838 §4.2: case-insensitive). */
    private static String mediaType(String contentType) {
        int parameters = contentType.indexOf(';');
        String type = parameters < 0 ? contentType : contentType.substring(0, parameters);
        return type.trim().toLowerCase(Locale.ROOT);
    }
}
