package org.vitalvault.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** A token bucket: what it lets through, when, and what it never lets through. */
class TokenBucketTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void aNewBucketHoldsRateTimesBurst() {
        TokenBucket bucket = new TokenBucket(200, Duration.ofSeconds(60), 0);
        assertEquals(12_000, bucket.capacity());
        assertTrue(bucket.tryTake(12_000, 0), "the whole burst at once");
        assertFalse(bucket.tryTake(1, 0), "and then nothing");
    }

    @Test
    void itRefillsAtItsRate() {
        TokenBucket bucket = new TokenBucket(10, Duration.ofSeconds(1), 0);
        assertTrue(bucket.tryTake(10, 0));
        assertFalse(bucket.tryTake(1, SECOND / 10 - 1), "a token takes a tenth of a second");
        assertTrue(bucket.tryTake(1, SECOND / 10));
        assertEquals(5, bucket.available(SECOND / 10 + SECOND / 2));
        assertEquals(10, bucket.available(10 * SECOND), "never more than full");
        assertTrue(bucket.isFull(10 * SECOND));
    }

    @Test
    void aTakeItCannotCoverTakesNothing() {
        TokenBucket bucket = new TokenBucket(10, Duration.ofSeconds(1), 0);
        assertTrue(bucket.tryTake(7, 0));
        assertFalse(bucket.tryTake(4, 0));
        assertTrue(bucket.tryTake(3, 0), "the refused take left the 3 tokens there");
    }

    @Test
    void aTakeLargerThanTheBucketCostsAFullBucketAndIsNotRefusedForEver() {
        TokenBucket bucket = new TokenBucket(10, Duration.ofSeconds(1), 0);
        assertTrue(bucket.tryTake(1_000, 0), "from a full bucket");
        assertFalse(bucket.tryTake(1, 0), "which it empties");
        assertFalse(bucket.tryTake(1_000, SECOND / 2), "and only from a full one");
        assertTrue(bucket.tryTake(1_000, 2 * SECOND));
    }

    @Test
    void itDoesNotOverflowOnHugeRatesOrTakes() {
        TokenBucket bucket = new TokenBucket(Long.MAX_VALUE / 2, Duration.ofDays(365), 0);
        assertTrue(bucket.tryTake(Long.MAX_VALUE, 0));
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(0, Duration.ofSeconds(1), 0));
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(1, Duration.ZERO, 0));
    }

    @Test
    void theClockMayStartAnywhereEvenNearOverflow() {
        long start = Long.MAX_VALUE - SECOND / 2;
        TokenBucket bucket = new TokenBucket(10, Duration.ofSeconds(1), start);
        assertTrue(bucket.tryTake(10, start));
        assertFalse(bucket.tryTake(1, start + SECOND / 20));
        assertTrue(bucket.tryTake(10, start + SECOND), "System.nanoTime may wrap; only differences count");
    }

    /** One attempt: after {@code gapNanos}, take {@code tokens}. */
    record Take(long gapNanos, int tokens) {
    }

    @Provide
    Arbitrary<List<Take>> takes() {
        return Combinators.combine(Arbitraries.longs().between(0, SECOND / 5), Arbitraries.integers().between(0, 60))
                .as(Take::new).list().ofMaxSize(300);
    }

    @Property(tries = 300)
    void itNeverLetsThroughMoreThanTheBurstPlusTheRateOverAnyInterval(@ForAll @LongRange(min = 1, max = 100) long rate,
                                                                       @ForAll @IntRange(min = 1, max = 3) int burstSeconds,
                                                                       @ForAll("takes") List<Take> takes) {
        TokenBucket bucket = new TokenBucket(rate, Duration.ofSeconds(burstSeconds), 0);
        long capacity = bucket.capacity();
        long now = 0;
        long[] at = new long[takes.size()];
        long[] taken = new long[takes.size()];
        for (int i = 0; i < takes.size(); i++) {
            now += takes.get(i).gapNanos();
            at[i] = now;
            // A take larger than the bucket is charged as a full bucket.
            taken[i] = bucket.tryTake(takes.get(i).tokens(), now) ? Math.min(takes.get(i).tokens(), capacity) : 0;
        }
        for (int from = 0; from < takes.size(); from++) {
            long sum = 0;
            for (int to = from; to < takes.size(); to++) {
                sum += taken[to];
                long window = at[to] - at[from];
                // Rate × window rounded up: a token needs 1/rate s, so at most ceil(rate × window) refills.
                long refill = (long) Math.ceil(window * (double) rate / SECOND);
                assertTrue(sum <= capacity + refill,
                        "took " + sum + " in " + window + " ns, capacity " + capacity + ", rate " + rate);
            }
        }
    }

    @Property(tries = 300)
    void whatItSaysIsAvailableCanBeTakenAndNotOneTokenMore(@ForAll @LongRange(min = 1, max = 100_000) long rate,
                                                           @ForAll @IntRange(min = 1, max = 60) int burstSeconds,
                                                           @ForAll("takes") List<Take> takes) {
        TokenBucket bucket = new TokenBucket(rate, Duration.ofSeconds(burstSeconds), 0);
        long now = 0;
        for (Take take : takes) {
            now += take.gapNanos();
            bucket.tryTake(take.tokens() * rate / 10, now);
            long available = bucket.available(now);
            if (available < bucket.capacity()) {
                assertFalse(bucket.tryTake(available + 1, now), "one more than available at " + now);
            }
            assertTrue(bucket.tryTake(available, now), "available at " + now + ": " + available);
        }
    }

    @Property(tries = 200)
    void aBurstTakenInPiecesFitsTheBucket(@ForAll @LongRange(min = 1, max = 100_000) long rate,
                                          @ForAll @IntRange(min = 1, max = 60) int burstSeconds,
                                          @ForAll @IntRange(min = 0, max = 100) int percent) {
        TokenBucket bucket = new TokenBucket(rate, Duration.ofSeconds(burstSeconds), 5);
        long first = bucket.capacity() * percent / 100;
        assertTrue(bucket.tryTake(first, 5));
        // Each take is rounded up to the nanosecond: the rest fits a nanosecond later at the latest.
        assertTrue(bucket.tryTake(bucket.capacity() - first, 6), "the rest of the burst");
        assertTrue(bucket.tryTake(rate, 6 + SECOND), "a second's worth a second later");
    }
}
