package org.vitalvault.vault.refusal;

import java.time.Duration;

/**
 * The caller asked more often, or for more, than its allowance lets it: too many lease requests in a
 * day, or an organisation's discovery budget spent. {@link #retryAfter()} says when asking again can
 * succeed (the HTTP layer sends it as {@code Retry-After}).
 */
public final class TooMany extends Refusal {

    private final Duration retryAfter;

    public TooMany(String code, String title, String detail, Duration retryAfter) {
        super(code, title, detail, null);
        this.retryAfter = retryAfter;
    }

    /** When the allowance has room again. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
