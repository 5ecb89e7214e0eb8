package org.vitalvault.gateway.quota;

import java.time.Duration;
import java.util.Iterator;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.vitalvault.quota.TokenBucket;

/**
 * Each device's share of the gateway: a readings-per-second and a bytes-per-second
 * {@link TokenBucket}, each holding {@code burst} of its rate. A rate of 0 means unlimited. Bytes
 * are taken before a message is decoded (so an over-quota flood costs a map lookup and a
 * compare-and-set, not a COSE check), readings once the pack is decoded.
 *
 * <p>Thread-safe without locks: one {@link ConcurrentHashMap} lookup per take, then a
 * compare-and-set on the device's own bucket; devices never wait for each other.
 *
 * <p>Memory is bounded by the devices active within the last {@code burst}: a bucket left alone for
 * a burst is full again, and a full bucket behaves exactly like a new one, so such buckets are
 * evicted (swept every {@code burst}, on the calling thread, O(tracked devices)) and nothing is
 * forgotten by it. Only paired devices get a bucket (the pipeline asks after resolving the device),
 * so made-up device ids cannot grow the map. A take racing with the sweep of its idle bucket may
 * land in the evicted bucket: one message's tokens are then not counted, which only errs towards
 * the device.
 */
public final class DeviceQuotas {

    private final long readingsPerSecond;
    private final long bytesPerSecond;
    private final Duration burst;
    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<UUID, Device> devices = new ConcurrentHashMap<>();
    private final long sweepEveryNanos;
    private final AtomicLong nextSweep;

    /**
     * @param readingsPerSecond readings a device may send per second on average; 0 = unlimited
     * @param bytesPerSecond    payload bytes a device may send per second on average; 0 = unlimited
     * @param burst             how much of its rates a device may send at once (capacity = rate × burst)
     * @param nanoClock         a monotonic clock in nanoseconds ({@code System::nanoTime} outside tests)
     */
    public DeviceQuotas(long readingsPerSecond, long bytesPerSecond, Duration burst, LongSupplier nanoClock) {
        if (readingsPerSecond < 0 || bytesPerSecond < 0) {
            throw new IllegalArgumentException("quotas must be 0 (unlimited) or positive");
        }
        if ((readingsPerSecond > 0 || bytesPerSecond > 0) && (burst.isNegative() || burst.isZero())) {
            throw new IllegalArgumentException("burst must be positive: " + burst);
        }
        this.readingsPerSecond = readingsPerSecond;
        this.bytesPerSecond = bytesPerSecond;
        this.burst = burst;
        this.nanoClock = nanoClock;
        this.sweepEveryNanos = burst.isZero() || burst.isNegative() ? Long.MAX_VALUE : burst.toNanos();
        this.nextSweep = new AtomicLong(nanoClock.getAsLong() + Math.min(sweepEveryNanos, Long.MAX_VALUE / 4));
    }

    /** No quota at all. */
    public static DeviceQuotas unlimited() {
        return new DeviceQuotas(0, 0, Duration.ZERO, System::nanoTime);
    }

    public long readingsPerSecond() {
        return readingsPerSecond;
    }

    public long bytesPerSecond() {
        return bytesPerSecond;
    }

    /** Takes {@code bytes} from the device's bytes bucket; false (and nothing taken) when it lacks them. */
    public boolean tryTakeBytes(UUID deviceId, int bytes) {
        if (bytesPerSecond == 0) {
            return true;
        }
        long now = nanoClock.getAsLong();
        return device(deviceId, now).bytes.tryTake(bytes, now);
    }

    /** Takes {@code readings} from the device's readings bucket; false (and nothing taken) when it lacks them. */
    public boolean tryTakeReadings(UUID deviceId, int readings) {
        if (readingsPerSecond == 0) {
            return true;
        }
        long now = nanoClock.getAsLong();
        return device(deviceId, now).readings.tryTake(readings, now);
    }

    /**
     * Whether the device's readings bucket lacks even one token: any message then overdraws it, so
     * it can be refused before it is decoded. A flooding device's messages cost a map lookup each,
     * not a COSE check and a SenML decode.
     */
    public boolean readingsExhausted(UUID deviceId) {
        if (readingsPerSecond == 0) {
            return false;
        }
        long now = nanoClock.getAsLong();
        return device(deviceId, now).readings.available(now) < 1;
    }

    /** Devices with a bucket that is not full (plus idle ones not yet swept). */
    public int trackedDevices() {
        return devices.size();
    }

    private Device device(UUID deviceId, long now) {
        Device d = devices.get(deviceId);
        if (d == null) {
            d = devices.computeIfAbsent(deviceId, id -> new Device(now));
        }
        long sweep = nextSweep.get();
        if (now - sweep >= 0 && nextSweep.compareAndSet(sweep, now + sweepEveryNanos)) {
            sweep(now, d);
        }
        return d;
    }

    /** Forgets the devices whose buckets are full: a new bucket would be the same. */
    private void sweep(long now, Device keep) {
        for (Iterator<Device> it = devices.values().iterator(); it.hasNext(); ) {
            Device d = it.next();
            if (d != keep && d.isFull(now)) {
                it.remove();
            }
        }
    }

    private final class Device {
        final TokenBucket readings;
        final TokenBucket bytes;

        Device(long now) {
            readings = readingsPerSecond == 0 ? null : new TokenBucket(readingsPerSecond, burst, now);
            bytes = bytesPerSecond == 0 ? null : new TokenBucket(bytesPerSecond, burst, now);
        }

        boolean isFull(long now) {
            return (readings == null || readings.isFull(now)) && (bytes == null || bytes.isFull(now));
        }
    }
}
