package org.vitalvault.gateway.receipts;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The one timer behind a {@link ReceiptCoalescer}: flushes ended windows every tick on a single
 * daemon thread, and everything pending when stopped. A trailing receipt thus leaves between one
 * interval and one interval plus one tick after its device's window opened.
 */
public final class ReceiptFlusher {

    private static final Logger LOG = Logger.getLogger(ReceiptFlusher.class);

    private final ReceiptCoalescer coalescer;
    private final Duration tick;
    private ScheduledExecutorService timer;

    public ReceiptFlusher(ReceiptCoalescer coalescer, Duration tick) {
        this.coalescer = coalescer;
        this.tick = tick;
    }

    /** A tenth of the interval, at least 1 ms: late by at most 10% of the interval, ~20 wake-ups/s at PT0.5S. */
    public static Duration tickFor(Duration interval) {
        return interval.dividedBy(10).compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : interval.dividedBy(10);
    }

    public void start() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "receipt-flush");
            t.setDaemon(true);
            return t;
        });
        long nanos = tick.toNanos();
        timer.scheduleWithFixedDelay(this::flushDue, nanos, nanos, TimeUnit.NANOSECONDS);
    }

    private void flushDue() {
        try {
            coalescer.flushDue();
        } catch (RuntimeException e) {
            // An exception would cancel the schedule and leave receipts pending for good.
            LOG.errorf(e, "flushing receipts failed; trying again next tick");
        }
    }

    /** Stops the timer, then sends what is pending. Call it after the last commit, before the connection closes. */
    public void stop() throws InterruptedException {
        if (timer != null) {
            timer.shutdown();
            if (!timer.awaitTermination(2, TimeUnit.SECONDS)) {
                timer.shutdownNow();
            }
        }
        coalescer.flushAll();
    }
}
