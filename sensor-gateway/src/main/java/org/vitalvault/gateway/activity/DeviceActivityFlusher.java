package org.vitalvault.gateway.activity;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;
import org.vitalvault.store.DeviceActivity;

/**
 * Every interval, on its own daemon thread, takes the ended window from {@link DeviceActivityCounts}
 * and writes it with one INSERT. Ingest never waits for it: the committer only adds to the counts in
 * memory, and a write that fails or hangs (bounded by the statement timeout) costs the window's
 * activity rows, counted in {@link #rowsLost}, never a reading. Not retried: keeping failed windows
 * would need memory that grows while PostgreSQL is away, for what is only the owner's view of their
 * devices (their readings are retried by the committer, with backpressure).
 */
public final class DeviceActivityFlusher {

    private static final Logger LOG = Logger.getLogger(DeviceActivityFlusher.class);
    private static final long LOG_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final DeviceActivityCounts counts;
    private final ActivityStore store;
    private final Duration interval;
    private final AtomicLong rowsWritten = new AtomicLong();
    private final AtomicLong rowsLost = new AtomicLong();
    private long nextLogNanos = System.nanoTime();
    private ScheduledExecutorService timer;

    public DeviceActivityFlusher(DeviceActivityCounts counts, ActivityStore store, Duration interval) {
        this.counts = counts;
        this.store = store;
        this.interval = interval;
    }

    public void start() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "device-activity-flush");
            t.setDaemon(true);
            return t;
        });
        long millis = Math.max(1, interval.toMillis());
        timer.scheduleWithFixedDelay(this::flush, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Writes the ended window. Called by the timer; public for a final flush and for tests. */
    public synchronized void flush() {
        List<DeviceActivity> rows;
        try {
            rows = counts.drain();
        } catch (RuntimeException e) {
            // An exception would cancel the schedule for good.
            LOG.errorf(e, "device activity: draining the window failed");
            return;
        }
        if (rows.isEmpty()) {
            return;
        }
        int written = 0;
        String failure = null;
        try {
            written = store.write(rows);
        } catch (Exception e) {
            failure = e.getClass().getSimpleName() + (e instanceof java.sql.SQLException s ? " SQLState " + s.getSQLState() : "");
        }
        rowsWritten.addAndGet(written);
        int lost = rows.size() - written;
        if (lost > 0) {
            rowsLost.addAndGet(lost);
            logLoss(lost, failure);
        }
    }

    private void logLoss(int lost, String failure) {
        long now = System.nanoTime();
        if (now - nextLogNanos >= 0) {
            nextLogNanos = now + LOG_EVERY_NANOS;
            // Counts only, never a device's or owner's id: this is the operator's log.
            LOG.warnf("device activity: %d rows of a window not written (%s); %d lost so far, readings unaffected",
                    lost, failure == null ? "refused" : failure, rowsLost.get());
        }
    }

    /** Stops the timer and writes what was counted since the last flush. */
    public void stop() throws InterruptedException {
        if (timer != null) {
            timer.shutdown();
            if (!timer.awaitTermination(5, TimeUnit.SECONDS)) {
                timer.shutdownNow();
            }
        }
        flush();
    }

    public long rowsWritten() {
        return rowsWritten.get();
    }

    /** Activity rows (device and window) that never reached the database. */
    public long rowsLost() {
        return rowsLost.get();
    }
}
