package org.vitalvault.gateway.receipts;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.vitalvault.gateway.ingest.Receipt;
import org.vitalvault.gateway.ingest.ReceiptSink;

/**
 * At most one receipt per device per interval (docs/decisions/015). With one reading per message a
 * busy device is in nearly every commit, and one receipt per commit cost as much gateway and broker
 * CPU as the reading itself.
 *
 * <p>A device without an open window gets its receipt at once (leading edge) and opens a window of
 * one interval. Receipts of later commits within the window are merged ({@link PendingReceipt}) and
 * sent by {@link #flushDue} once the window has ended (trailing edge), which opens the next window;
 * a window that ends with nothing pending is forgotten. A receipt the transport refuses is merged
 * back and tried again at the end of the device's window, so its content is not lost while the
 * gateway runs; {@link #flushAll} sends whatever is pending once, at shutdown.
 *
 * <p>Memory: one {@link PendingReceipt} per device with an open window — devices receipted within
 * the last interval plus one flush tick, or whose receipt was refused since — each holding at most
 * {@link Receipt#MAX_LISTED} rejections. Windows all last one interval, so they end in the order
 * they opened: a FIFO keeps them ordered by deadline and a flush looks only at its head. No thread
 * per device; one lock, held for map and counter work only, never while sending.
 */
public final class ReceiptCoalescer implements ReceiptSink {

    private final ReceiptTransport transport;
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private final Map<UUID, Window> windows = new HashMap<>();
    private final ArrayDeque<Window> byDeadline = new ArrayDeque<>();
    private final LongAdder coalesced = new LongAdder();
    private boolean stopped;

    /**
     * @param interval the shortest time between two receipts to one device; positive
     * @param nanoTime a monotonic clock in nanoseconds ({@code System::nanoTime} outside tests)
     */
    public ReceiptCoalescer(ReceiptTransport transport, Duration interval, LongSupplier nanoTime) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the coalescing interval must be positive, was " + interval);
        }
        this.transport = transport;
        this.intervalNanos = interval.toNanos();
        this.nanoTime = nanoTime;
    }

    @Override
    public void publish(Receipt receipt) {
        synchronized (this) {
            if (!stopped) {
                Window open = windows.get(receipt.deviceId());
                if (open != null) {
                    open.pending.add(receipt);
                    coalesced.increment();
                    return;
                }
                openWindow(new Window(receipt.deviceId()), nanoTime.getAsLong());
            }
        }
        send(receipt);
    }

    /** Sends the merged receipt of every window that has ended; call it on a timer. */
    public void flushDue() {
        List<Receipt> due = new ArrayList<>();
        synchronized (this) {
            long now = nanoTime.getAsLong();
            Window w;
            while ((w = byDeadline.peekFirst()) != null && now - w.deadline >= 0) {
                byDeadline.pollFirst();
                if (w.pending.isEmpty()) {
                    windows.remove(w.deviceId);
                } else {
                    due.add(w.pending.drain());
                    openWindow(w, now);
                }
            }
        }
        due.forEach(this::send);
    }

    /**
     * Stops coalescing and sends everything pending, once. Receipts published afterwards (a commit
     * that outlived the pipeline's shutdown timeout) go straight to the transport.
     */
    public void flushAll() {
        List<Receipt> pending = new ArrayList<>();
        synchronized (this) {
            stopped = true;
            for (Window w : byDeadline) {
                if (!w.pending.isEmpty()) {
                    pending.add(w.pending.drain());
                }
            }
            byDeadline.clear();
            windows.clear();
        }
        pending.forEach(transport::send);
    }

    /** Commits whose receipt was merged into a later one instead of being sent on its own. */
    public long coalesced() {
        return coalesced.sum();
    }

    /** Devices with an open window: the size of the coalescer's state. */
    public synchronized int openWindows() {
        return windows.size();
    }

    private void send(Receipt receipt) {
        if (!transport.send(receipt)) {
            retryLater(receipt);
        }
    }

    /** A refused receipt joins what is pending for its device and goes out when its window ends. */
    private synchronized void retryLater(Receipt receipt) {
        if (stopped) {
            return;
        }
        Window w = windows.get(receipt.deviceId());
        if (w == null) {
            w = new Window(receipt.deviceId());
            openWindow(w, nanoTime.getAsLong());
        }
        w.pending.add(receipt);
    }

    private void openWindow(Window w, long now) {
        w.deadline = now + intervalNanos;
        windows.put(w.deviceId, w);
        byDeadline.addLast(w);
    }

    /** One device's window: when it ends and what waits for its end. */
    private static final class Window {
        final UUID deviceId;
        final PendingReceipt pending;
        long deadline;

        Window(UUID deviceId) {
            this.deviceId = deviceId;
            this.pending = new PendingReceipt(deviceId);
        }
    }
}
