package org.vitalvault.gateway.ingest;

import org.vitalvault.senml.SenmlResult;

/**
 * Turns one message of a known device into resolved SenML records: checks the device's MAC when
 * there is one (or is required), then decodes the SenML encoding the message declares.
 */
public interface PayloadDecoder {

    SenmlResult decode(InboundMessage message, ReadingTopic topic, DeviceOwner device);
}
