package org.vitalvault.senml;

/**
 * A resolved SenML record (RFC 8428 §4.6): base fields applied, time absolute.
 *
 * @param name        resolved name (base name + name)
 * @param unit        resolved unit (unit, else base unit), possibly null
 * @param value       resolved numeric value (base value + value)
 * @param timeSeconds absolute time in seconds since the epoch (relative times already resolved)
 * @param index       position of the record in its pack, counted from 0 like
 *                    {@link SenmlResult.RecordRejection#index()}
 */
public record SenmlRecord(String name, String unit, double value, double timeSeconds, int index) {

    /** A record not taken from a pack (tests, encoders' input): index 0. */
    public SenmlRecord(String name, String unit, double value, double timeSeconds) {
        this(name, unit, value, timeSeconds, 0);
    }

    @Override
    public String toString() {
        return "SenmlRecord[#" + index + " " + name + ", t=" + timeSeconds + ", value=<hidden>]";
    }
}
