package org.vitalvault.deploy.broker;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One {@link DevicePublishQuota} per device: a message bucket and a byte bucket per client id.
 *
 * <p>The buckets are kept per device id, not per connection, so that reconnecting does not refill
 * them. Memory: one small entry per device that published within the last {@code burst}; a bucket
 * that has refilled completely is the same as a new one, so such entries are dropped now and then
 * (every {@value #SWEEP_EVERY} admissions). The number of entries is bounded by the paired devices
 * that may connect at all.
 */
final class PublishQuotas {

    static final int SWEEP_EVERY = 4_096;

    private final DevicePublishQuota quota;
    private final Map<String, Buckets> byClient = new ConcurrentHashMap<>();
    private final AtomicLong admissions = new AtomicLong();

    PublishQuotas(DevicePublishQuota quota) {
        this.quota = quota;
    }

    /**
     * Takes one message of {@code payloadBytes} from the client's buckets if both hold enough;
     * otherwise takes nothing and returns false.
     */
    boolean tryAdmit(String clientId, long payloadBytes, long nowNanos) {
        if (!quota.limited()) {
            return true;
        }
        if (admissions.incrementAndGet() % SWEEP_EVERY == 0) {
            sweep(nowNanos);
        }
        Buckets buckets = byClient.computeIfAbsent(clientId, id -> new Buckets(quota, nowNanos));
        synchronized (buckets) {
            return buckets.tryTake(payloadBytes, nowNanos);
        }
    }

    /** Devices currently tracked (for tests and diagnostics). */
    int trackedClients() {
        return byClient.size();
    }

    /** Drops buckets that have refilled completely: a new bucket would be identical. */
    void sweep(long nowNanos) {
        byClient.entrySet().removeIf(e -> {
            synchronized (e.getValue()) {
                return e.getValue().fullAt(nowNanos);
            }
        });
    }

    private static final class Buckets {
        private final TokenBucket messages;
        private final TokenBucket bytes;

        Buckets(DevicePublishQuota quota, long nowNanos) {
            this.messages = quota.messagesPerSecond() > 0
                    ? new TokenBucket(quota.messagesPerSecond(), quota.messageCapacity(), nowNanos) : null;
            this.bytes = quota.bytesPerSecond() > 0
                    ? new TokenBucket(quota.bytesPerSecond(), quota.byteCapacity(), nowNanos) : null;
        }

        boolean tryTake(long payloadBytes, long nowNanos) {
            if (messages != null) {
                messages.refill(nowNanos);
            }
            if (bytes != null) {
                bytes.refill(nowNanos);
            }
            boolean enough = (messages == null || messages.has(1)) && (bytes == null || bytes.has(payloadBytes));
            if (enough) {
                if (messages != null) {
                    messages.take(1);
                }
                if (bytes != null) {
                    bytes.take(payloadBytes);
                }
            }
            return enough;
        }

        boolean fullAt(long nowNanos) {
            return (messages == null || messages.fullAt(nowNanos)) && (bytes == null || bytes.fullAt(nowNanos));
        }
    }
}
