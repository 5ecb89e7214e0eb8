package org.vitalvault.gateway.ingest;

/**
 * One MQTT message as the pipeline sees it. {@code acknowledge} tells the broker the message is
 * done with; the pipeline calls it only after the batch holding the message's readings committed.
 *
 * @param contentType the MQTT 5 content type, or null (MQTT 3 nodes, or none given)
 * @param qos         the QoS it was published with; only 1 (and 2) is accepted
 */
public record InboundMessage(String topic, String contentType, byte[] payload, long receivedMillis,
                             Runnable acknowledge, int qos) {

    /** A QoS 1 message. */
    public InboundMessage(String topic, String contentType, byte[] payload, long receivedMillis, Runnable acknowledge) {
        this(topic, contentType, payload, receivedMillis, acknowledge, 1);
    }

    @Override
    public String toString() {
        return "InboundMessage[" + topic + ", " + payload.length + " bytes, QoS " + qos + "]";
    }
}
