package org.vitalvault.store;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * What the gateway did with one device's messages in one flush window (a row of
 * {@code device_activity}, migration V20): counts and reason codes, never a value or a payload.
 *
 * @param windowStart start of the gateway's flush window
 * @param lastAt      receive time of the device's newest message in the window, accepted or not
 * @param accepted    records stored
 * @param rejected    records refused, by wire reason code (e.g. {@code out-of-range})
 */
public record DeviceActivity(UUID ownerId, UUID deviceId, Instant windowStart, Instant lastAt, int accepted,
                             Map<String, Integer> rejected) {

    public DeviceActivity {
        Objects.requireNonNull(ownerId);
        Objects.requireNonNull(deviceId);
        Objects.requireNonNull(windowStart);
        Objects.requireNonNull(lastAt);
        rejected = Map.copyOf(rejected);
        for (String code : rejected.keySet()) {
            // Wire codes are lower-case words joined by '-': safe to write into JSON unescaped.
            if (!code.matches("[a-z0-9-]{1,64}")) {
                throw new IllegalArgumentException("not a rejection reason code: " + code);
            }
        }
    }

    /** Records refused, all reasons together. */
    public int rejectedTotal() {
        return rejected.values().stream().mapToInt(Integer::intValue).sum();
    }
}
