package org.vitalvault.gateway.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Each device's own buckets: devices do not share, 0 means unlimited, idle devices are forgotten. */
class DeviceQuotasTest {

    private final AtomicLong nanos = new AtomicLong(42);

    @Test
    void devicesDoNotShareTheirBuckets() {
        DeviceQuotas quotas = new DeviceQuotas(5, 0, Duration.ofSeconds(1), nanos::get);
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        assertTrue(quotas.tryTakeReadings(a, 5));
        assertFalse(quotas.tryTakeReadings(a, 1));
        assertTrue(quotas.tryTakeReadings(b, 5), "b is not slowed down by a");
    }

    @Test
    void aDeviceIsExhaustedOnlyWhileItsReadingsBucketLacksOneTokenSoItsNextMessageNeedsNoDecoding() {
        DeviceQuotas quotas = new DeviceQuotas(5, 0, Duration.ofSeconds(1), nanos::get);
        UUID a = UUID.randomUUID();
        assertFalse(quotas.readingsExhausted(a));
        assertTrue(quotas.tryTakeReadings(a, 4));
        assertFalse(quotas.readingsExhausted(a), "one token left: a one-reading message may still pass");
        assertTrue(quotas.tryTakeReadings(a, 1));
        assertTrue(quotas.readingsExhausted(a));
        assertFalse(quotas.readingsExhausted(UUID.randomUUID()), "another device is not");
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(200));
        assertFalse(quotas.readingsExhausted(a), "a fifth of a second refills one of five per second");
        assertFalse(new DeviceQuotas(0, 0, Duration.ZERO, nanos::get).readingsExhausted(a), "unlimited");
    }

    @Test
    void readingsAndBytesAreSeparateBuckets() {
        DeviceQuotas quotas = new DeviceQuotas(5, 100, Duration.ofSeconds(1), nanos::get);
        UUID a = UUID.randomUUID();
        assertTrue(quotas.tryTakeBytes(a, 100));
        assertFalse(quotas.tryTakeBytes(a, 1));
        assertTrue(quotas.tryTakeReadings(a, 5));
        assertFalse(quotas.tryTakeReadings(a, 1));
    }

    @Test
    void zeroMeansUnlimitedAndKeepsNoState() {
        DeviceQuotas quotas = new DeviceQuotas(0, 0, Duration.ZERO, nanos::get);
        UUID a = UUID.randomUUID();
        for (int i = 0; i < 1000; i++) {
            assertTrue(quotas.tryTakeReadings(a, 1_000_000));
            assertTrue(quotas.tryTakeBytes(a, Integer.MAX_VALUE));
        }
        assertEquals(0, quotas.trackedDevices());
        DeviceQuotas bytesOnly = new DeviceQuotas(0, 10, Duration.ofSeconds(1), nanos::get);
        assertTrue(bytesOnly.tryTakeReadings(a, 1_000_000));
        assertFalse(bytesOnly.tryTakeBytes(a, 11) && bytesOnly.tryTakeBytes(a, 1));
    }

    @Test
    void idleDevicesAreForgottenOnceTheirBucketsAreFullAgain() {
        DeviceQuotas quotas = new DeviceQuotas(5, 100, Duration.ofSeconds(1), nanos::get);
        for (int i = 0; i < 1000; i++) {
            quotas.tryTakeReadings(UUID.randomUUID(), 1);
        }
        assertEquals(1000, quotas.trackedDevices());
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(1100));
        UUID active = UUID.randomUUID();
        assertTrue(quotas.tryTakeReadings(active, 5));
        assertEquals(1, quotas.trackedDevices(), "only the device whose bucket is not full is kept");
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(500));
        assertFalse(quotas.tryTakeReadings(active, 5), "its state survived: 2.5 tokens back, not 5");
    }

    @Test
    void aBurstMustBePositiveWhenAQuotaIsSet() {
        assertThrows(IllegalArgumentException.class, () -> new DeviceQuotas(5, 0, Duration.ZERO, nanos::get));
        assertThrows(IllegalArgumentException.class, () -> new DeviceQuotas(-1, 0, Duration.ofSeconds(1), nanos::get));
    }
}
