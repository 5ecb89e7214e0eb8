package org.vitalvault.deploy.broker;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.vitalvault.quota.TokenBucket;

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

    /**
     * The two buckets of one device, on the same {@link TokenBucket} as the gateway's device quota
     * (sensor-protocol), so broker and gateway count alike. Checked together and taken together
     * under the device's lock: a publish either takes from both or from neither.
     */
    private static final class Buckets {
        private final TokenBucket messages;
        private final TokenBucket bytes;

        Buckets(DevicePublishQuota quota, long nowNanos) {
            this.messages = quota.messagesPerSecond() > 0
                    ? new TokenBucket(perSecond(quota.messagesPerSecond()), quota.burst(), nowNanos) : null;
            this.bytes = quota.bytesPerSecond() > 0
                    ? new TokenBucket(perSecond(quota.bytesPerSecond()), quota.burst(), nowNanos) : null;
        }

        /** A rate below one a second still admits one a second: the shared bucket counts whole tokens. */
        private static long perSecond(double rate) {
            return Math.max(1, Math.round(rate));
        }

        boolean tryTake(long payloadBytes, long nowNanos) {
            // A payload larger than the byte bucket costs a full bucket (TokenBucket): it waits for
            // a full bucket instead of being refused for ever.
            boolean enough = (messages == null || messages.available(nowNanos) >= 1)
                    && (bytes == null || bytes.available(nowNanos) >= Math.min(payloadBytes, bytes.capacity()));
            if (enough) {
                if (messages != null) {
                    messages.tryTake(1, nowNanos);
                }
                if (bytes != null) {
                    bytes.tryTake(payloadBytes, nowNanos);
                }
            }
            return enough;
        }

        boolean fullAt(long nowNanos) {
            return (messages == null || messages.isFull(nowNanos)) && (bytes == null || bytes.isFull(nowNanos));
        }
    }
}
