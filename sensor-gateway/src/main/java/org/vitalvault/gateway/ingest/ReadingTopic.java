package org.vitalvault.gateway.ingest;

import java.util.Optional;
import java.util.UUID;
import org.vitalvault.wire.Topics;

/**
 * A device topic: {@code readings/{deviceId}}, or {@code readings/{deviceId}/json|cbor} for MQTT 3
 * nodes that cannot send a content type ({@link Topics}). The device id is the only identity a message carries.
 *
 * @param deviceId the publishing device
 * @param format   {@code json}, {@code cbor}, or null when the topic names no format
 */
public record ReadingTopic(UUID deviceId, String format) {

    /** The topic's device and format, or empty when the topic is not a well-formed reading topic. */
    public static Optional<ReadingTopic> parse(String topic) {
        if (topic == null || !topic.startsWith(Topics.READINGS_PREFIX)) {
            return Optional.empty();
        }
        String rest = topic.substring(Topics.READINGS_PREFIX.length());
        String format = null;
        if (rest.length() > 36) {
            format = rest.substring(36);
            if (!format.equals("/json") && !format.equals("/cbor")) {
                return Optional.empty();
            }
            format = format.substring(1);
            rest = rest.substring(0, 36);
        }
        if (rest.length() != 36) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ReadingTopic(UUID.fromString(rest), format));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
