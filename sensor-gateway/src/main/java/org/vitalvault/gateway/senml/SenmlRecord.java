package org.vitalvault.gateway.senml;

/**
 * A resolved SenML record (RFC 8428 §4.6): base fields applied, time absolute.
 *
 * @param name        resolved name (base name + name)
 * @param unit        resolved unit (unit, else base unit), possibly null
 * @param value       resolved numeric value (base value + value)
 * @param timeSeconds absolute time in seconds since the epoch (relative times already resolved)
 */
public record SenmlRecord(String name, String unit, double value, double timeSeconds) {

    @Override
    public String toString() {
        return "SenmlRecord[" + name + ", t=" + timeSeconds + ", value=<hidden>]";
    }
}
