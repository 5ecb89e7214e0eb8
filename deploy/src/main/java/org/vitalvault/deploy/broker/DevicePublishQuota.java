package org.vitalvault.deploy.broker;

import java.time.Duration;
import java.util.Objects;

/**
 * How much one device may publish through the embedded broker: two token buckets per device, one
 * counting messages and one counting payload bytes, each refilled at its rate and holding at most
 * {@code rate × burst} (the same {@code org.vitalvault.quota.TokenBucket} as the gateway). A publish
 * that finds either bucket short is refused with PUBACK
 * {@code 0x97 QUOTA_EXCEEDED} and takes nothing from either.
 *
 * <p>The numbers are the sensor gateway's own device limits ({@code vitalvault.gateway.limits.*},
 * docs/decisions/028 and 033), so that a local stack has one set of limits: the broker bounds
 * messages/s by the gateway's readings/s (a message carries at least one reading, so this is never
 * stricter than the gateway), and bytes/s by the same bytes/s. The broker cannot count readings
 * without decoding; the gateway does that, and is the precise bound.
 *
 * @param messagesPerSecond refill rate of the message bucket; 0 = no message limit
 * @param bytesPerSecond    refill rate of the byte bucket; 0 = no byte limit
 * @param burst             how many seconds of rate a full bucket holds (the gateway's {@code device-burst})
 */
public record DevicePublishQuota(double messagesPerSecond, double bytesPerSecond, Duration burst) {

    /** The gateway's defaults (readings/s 200, bytes/s 65,536, burst 60 s). */
    public static final DevicePublishQuota DEFAULT = new DevicePublishQuota(200, 65_536, Duration.ofSeconds(60));
    /** No limit at all (both rates 0). */
    public static final DevicePublishQuota UNLIMITED = new DevicePublishQuota(0, 0, Duration.ofSeconds(60));

    public DevicePublishQuota {
        Objects.requireNonNull(burst, "burst");
        if (!(messagesPerSecond >= 0) || !(bytesPerSecond >= 0) || Double.isInfinite(messagesPerSecond)
                || Double.isInfinite(bytesPerSecond)) {
            throw new IllegalArgumentException("rates must be finite and ≥ 0 (0 = unlimited)");
        }
        if (burst.isNegative() || burst.isZero()) {
            throw new IllegalArgumentException("burst must be positive, was " + burst);
        }
    }

    /** Whether any limit applies. */
    public boolean limited() {
        return messagesPerSecond > 0 || bytesPerSecond > 0;
    }

    /**
     * The quota the gateway would apply with these settings: the values of
     * {@code vitalvault.gateway.limits.device-readings-per-second}, {@code …device-bytes-per-second}
     * and {@code …device-burst} (ISO-8601, e.g. {@code PT60S}); a missing one takes its default.
     */
    public static DevicePublishQuota fromGatewaySettings(String readingsPerSecond, String bytesPerSecond, String burst) {
        return new DevicePublishQuota(
                readingsPerSecond == null ? DEFAULT.messagesPerSecond() : Double.parseDouble(readingsPerSecond.trim()),
                bytesPerSecond == null ? DEFAULT.bytesPerSecond() : Double.parseDouble(bytesPerSecond.trim()),
                burst == null ? DEFAULT.burst() : Duration.parse(burst.trim()));
    }
}
