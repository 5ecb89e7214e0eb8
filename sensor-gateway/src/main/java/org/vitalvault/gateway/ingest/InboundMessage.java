package org.vitalvault.gateway.ingest;

/**
 * One MQTT message as the pipeline sees it. {@code acknowledge} tells the broker the message is
 * done with; the pipeline calls it only after the batch holding the message's readings committed.
 */
public record InboundMessage(String topic, byte[] payload, long receivedMillis, Runnable acknowledge) {

    @Override
    public String toString() {
        return "InboundMessage[" + topic + ", " + payload.length + " bytes]";
    }
}
