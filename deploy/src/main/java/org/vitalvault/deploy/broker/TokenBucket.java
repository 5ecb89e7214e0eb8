package org.vitalvault.deploy.broker;

/**
 * A token bucket on a caller-supplied clock (nanoseconds, e.g. {@link System#nanoTime()}), so that
 * tests can drive time. Tokens refill continuously at {@code ratePerSecond} up to {@code capacity};
 * a bucket starts full. Not thread-safe: {@link PublishQuotas} locks per device.
 */
final class TokenBucket {

    private final double ratePerNano;
    private final double capacity;
    private double tokens;
    private long updatedNanos;

    TokenBucket(double ratePerSecond, double capacity, long nowNanos) {
        if (!(ratePerSecond > 0) || !(capacity > 0)) {
            throw new IllegalArgumentException("rate and capacity must be positive");
        }
        this.ratePerNano = ratePerSecond / 1e9;
        this.capacity = capacity;
        this.tokens = capacity;
        this.updatedNanos = nowNanos;
    }

    /** Refills for the time since the last call; a clock going backwards refills nothing. */
    void refill(long nowNanos) {
        long elapsed = nowNanos - updatedNanos;
        if (elapsed > 0) {
            tokens = Math.min(capacity, tokens + elapsed * ratePerNano);
            updatedNanos = nowNanos;
        }
    }

    /** Whether {@code amount} tokens are there now (call {@link #refill} first). */
    boolean has(double amount) {
        return tokens >= amount;
    }

    void take(double amount) {
        tokens -= amount;
    }

    /** Whether the bucket is full at {@code nowNanos}: such a bucket is the same as a new one. */
    boolean fullAt(long nowNanos) {
        long elapsed = Math.max(0, nowNanos - updatedNanos);
        return tokens + elapsed * ratePerNano >= capacity;
    }

    double tokens() {
        return tokens;
    }
}
