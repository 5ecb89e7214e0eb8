package org.vitalvault.vault.refusal;

import java.time.Duration;

/**
 * A system the vault needs for this request could not be reached or refused the change, so the
 * vault did nothing: e.g. pairing while the MQTT broker's user list cannot be updated. The request
 * may be repeated as it is; {@link #retryAfter()} says when (the HTTP layer answers 503 with
 * {@code Retry-After}).
 */
public final class Unavailable extends Refusal {

    private final Duration retryAfter;

    public Unavailable(String code, String title, String detail, Duration retryAfter) {
        super(code, title, detail, null);
        this.retryAfter = retryAfter;
    }

    /** When asking again may succeed. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
