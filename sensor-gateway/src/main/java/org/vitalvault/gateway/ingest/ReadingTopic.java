package org.vitalvault.gateway.ingest;

import java.util.Optional;
import java.util.UUID;

/** The device topic {@code readings/{deviceId}}: the only identity a device's message carries. */
public record ReadingTopic(UUID deviceId) {

    public static final String PREFIX = "readings/";

    /** The topic's device, or empty when the topic is not a well-formed reading topic. */
    public static Optional<ReadingTopic> parse(String topic) {
        if (topic == null || !topic.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String id = topic.substring(PREFIX.length());
        if (id.length() != 36) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ReadingTopic(UUID.fromString(id)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
