package org.vitalvault.reading;

import java.util.Objects;
import java.util.UUID;

/**
 * One accepted measurement, as sealed inside a batch: which device took it, when the device says it
 * was taken, when the gateway received it, and the value in the metric's canonical unit. The metric
 * and owner are not repeated here: they are bound to the batch by its associated data.
 *
 * <p>A reading's identity is (device, metric, device time): the same identity seen twice is one
 * reading, which is how redelivered messages are counted once.
 */
public record Reading(UUID deviceId, long deviceTimeMillis, long receivedTimeMillis, double value) {

    public Reading {
        Objects.requireNonNull(deviceId, "deviceId");
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("value must be finite");
        }
    }

    @Override
    public String toString() {
        // Health values never reach a log line, not even by accident through toString.
        return "Reading[device=" + deviceId + ", deviceTime=" + deviceTimeMillis + ", value=<sealed>]";
    }
}
