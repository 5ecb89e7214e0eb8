package org.vitalvault.gateway.activity;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.vitalvault.gateway.ingest.ActivitySink;
import org.vitalvault.store.DeviceActivity;
import org.vitalvault.wire.RejectionReason;

/**
 * The current flush window's activity per device, in memory: what the committer reports after each
 * commit is added here (a map update under a lock held for microseconds), and
 * {@link #drain} hands the window's rows to the flusher and opens the next window. Bounded: at most
 * {@code maxDevices} devices per window; a device beyond that is not counted in this window (and
 * {@link #devicesDropped} says how often), which only thins the owner's view, never ingest.
 */
public final class DeviceActivityCounts implements ActivitySink {

    private static final RejectionReason[] REASONS = RejectionReason.values();

    private final int maxDevices;
    private final Clock clock;
    private final AtomicLong devicesDropped = new AtomicLong();
    private Map<UUID, Tally> window = new HashMap<>();
    private Instant windowStart;

    public DeviceActivityCounts(int maxDevices, Clock clock) {
        if (maxDevices < 1) {
            throw new IllegalArgumentException("maxDevices must be at least 1");
        }
        this.maxDevices = maxDevices;
        this.clock = clock;
        this.windowStart = clock.instant();
    }

    @Override
    public synchronized void record(UUID ownerId, UUID deviceId, long lastReceivedMillis, int accepted,
                                    Map<RejectionReason, Integer> rejected) {
        Tally t = window.get(deviceId);
        if (t == null) {
            if (window.size() >= maxDevices) {
                devicesDropped.incrementAndGet();
                return;
            }
            t = new Tally(ownerId);
            window.put(deviceId, t);
        }
        t.lastMillis = Math.max(t.lastMillis, lastReceivedMillis);
        t.accepted += accepted;
        for (Map.Entry<RejectionReason, Integer> e : rejected.entrySet()) {
            t.rejected[e.getKey().ordinal()] += e.getValue();
        }
    }

    /** The window's rows (one per device heard from), and a new window from now. */
    public List<DeviceActivity> drain() {
        Map<UUID, Tally> ended;
        Instant start;
        synchronized (this) {
            if (window.isEmpty()) {
                windowStart = clock.instant();
                return List.of();
            }
            ended = window;
            start = windowStart;
            window = new HashMap<>();
            windowStart = clock.instant();
        }
        // Outside the lock: the committer never waits for this.
        List<DeviceActivity> rows = new ArrayList<>(ended.size());
        for (Map.Entry<UUID, Tally> e : ended.entrySet()) {
            Tally t = e.getValue();
            Map<String, Integer> byCode = new LinkedHashMap<>();
            for (int i = 0; i < REASONS.length; i++) {
                if (t.rejected[i] > 0) {
                    byCode.put(REASONS[i].code(), t.rejected[i]);
                }
            }
            Instant last = t.lastMillis == Long.MIN_VALUE ? start : Instant.ofEpochMilli(t.lastMillis);
            rows.add(new DeviceActivity(t.ownerId, e.getKey(), start, last, t.accepted, byCode));
        }
        return rows;
    }

    /** Devices not counted because the window was full. */
    public long devicesDropped() {
        return devicesDropped.get();
    }

    /** Devices counted in the current window. */
    public synchronized int devicesInWindow() {
        return window.size();
    }

    private static final class Tally {
        final UUID ownerId;
        final int[] rejected = new int[REASONS.length];
        long lastMillis = Long.MIN_VALUE;
        int accepted;

        Tally(UUID ownerId) {
            this.ownerId = ownerId;
        }
    }
}
