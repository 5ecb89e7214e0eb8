package org.vitalvault.quota;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A token bucket of {@code rate × burst} tokens refilled at {@code rate} tokens per second, kept as
 * one number: the time at which the bucket will be full again (the "theoretical arrival time" of the
 * generic cell rate algorithm, ITU-T I.371). Taking {@code n} tokens pushes that time
 * {@code n / rate} seconds later; a take is allowed while the bucket would then still be full within
 * {@code burst} from now. Equivalent to a counter of tokens refilled continuously, without a refill
 * step, a floating-point count or a lock: one compare-and-set per take, no allocation.
 *
 * <p>A take of more tokens than the bucket holds costs a full bucket: it is allowed only from a full
 * bucket and leaves it empty. So a message bigger than the burst is slowed down, never refused for
 * ever, and the bucket is never overdrawn: over any interval of length {@code t}, at most
 * {@code rate × (burst + t)} tokens are charged.
 *
 * <p>Time is passed in (nanoseconds of a monotonic clock), so the class is pure and tests set it.
 */
public final class TokenBucket {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final long ratePerSecond;
    private final long burstNanos;
    private final long capacity;
    /** When the bucket is full again; at or before "now" it is full. */
    private final AtomicLong fullAt;

    /**
     * @param ratePerSecond tokens added per second, at least 1
     * @param burst         how many seconds of the rate the bucket holds, positive
     * @param nowNanos      the clock's current reading: the bucket starts full
     */
    public TokenBucket(long ratePerSecond, Duration burst, long nowNanos) {
        if (ratePerSecond < 1) {
            throw new IllegalArgumentException("rate must be at least 1 per second: " + ratePerSecond);
        }
        if (burst.isNegative() || burst.isZero()) {
            throw new IllegalArgumentException("burst must be positive: " + burst);
        }
        this.ratePerSecond = ratePerSecond;
        this.burstNanos = burst.toNanos();
        this.fullAt = new AtomicLong(nowNanos);
        long c;
        try {
            c = Math.multiplyExact(ratePerSecond, burstNanos) / NANOS_PER_SECOND;
        } catch (ArithmeticException tooLarge) {
            c = Long.MAX_VALUE;
        }
        this.capacity = c;
    }

    /** Tokens the bucket holds when full: rate × burst (rounded down). */
    public long capacity() {
        return capacity;
    }

    /**
     * Takes {@code tokens} if the bucket holds them at {@code nowNanos}; otherwise takes nothing.
     *
     * @return whether the tokens were taken
     */
    public boolean tryTake(long tokens, long nowNanos) {
        if (tokens <= 0) {
            return true;
        }
        long cost = costNanos(tokens);
        while (true) {
            long full = fullAt.get();
            long start = full - nowNanos > 0 ? full : nowNanos;
            long next = start + cost;
            if (next - nowNanos > burstNanos) {
                return false;
            }
            if (fullAt.compareAndSet(full, next)) {
                return true;
            }
        }
    }

    /** Whether the bucket is full at {@code nowNanos}: then it is indistinguishable from a new one. */
    public boolean isFull(long nowNanos) {
        return fullAt.get() - nowNanos <= 0;
    }

    /** The largest take that would succeed at {@code nowNanos}. */
    public long available(long nowNanos) {
        long room = burstNanos - Math.max(0, fullAt.get() - nowNanos);
        if (room <= 0) {
            return 0;
        }
        long tokens = room <= Long.MAX_VALUE / ratePerSecond
                ? room * ratePerSecond / NANOS_PER_SECOND
                : (long) (room * (double) ratePerSecond / NANOS_PER_SECOND);
        return Math.min(capacity, tokens);
    }

    /**
     * The time {@code tokens} take to refill, rounded up to the nanosecond, so that rounding never
     * lets a take through early (it costs a device at most a nanosecond of refill per take), capped
     * at a full bucket's worth: the burst.
     */
    private long costNanos(long tokens) {
        if (tokens >= capacity || tokens > Long.MAX_VALUE / NANOS_PER_SECOND) {
            return burstNanos;
        }
        return Math.min(burstNanos, (tokens * NANOS_PER_SECOND + ratePerSecond - 1) / ratePerSecond);
    }
}
