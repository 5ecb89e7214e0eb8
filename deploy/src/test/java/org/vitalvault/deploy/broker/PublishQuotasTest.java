package org.vitalvault.deploy.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The per-device token buckets of the embedded broker, on a clock the test drives. */
class PublishQuotasTest {

    private static final long SECOND = 1_000_000_000L;
    private static final long T0 = 5 * SECOND;

    @Test
    void aNewDeviceMayPublishItsWholeBurstAtOnceThenIsRefused() {
        PublishQuotas quotas = new PublishQuotas(new DevicePublishQuota(10, 0, Duration.ofSeconds(3)));

        for (int i = 0; i < 30; i++) {
            assertTrue(quotas.tryAdmit("d", 100, T0), "message " + i + " of the 30-message burst");
        }
        assertFalse(quotas.tryAdmit("d", 100, T0));
    }

    @Test
    void tokensComeBackAtTheRate() {
        PublishQuotas quotas = new PublishQuotas(new DevicePublishQuota(10, 0, Duration.ofSeconds(1)));
        for (int i = 0; i < 10; i++) {
            quotas.tryAdmit("d", 1, T0);
        }
        assertFalse(quotas.tryAdmit("d", 1, T0));

        assertFalse(quotas.tryAdmit("d", 1, T0 + SECOND / 20), "half a token after 50 ms");
        assertTrue(quotas.tryAdmit("d", 1, T0 + SECOND / 10), "one token after 100 ms");
        assertFalse(quotas.tryAdmit("d", 1, T0 + SECOND / 10));
        int admitted = 0;
        for (int i = 0; i < 100; i++) {
            admitted += quotas.tryAdmit("d", 1, T0 + 10 * SECOND) ? 1 : 0;
        }
        assertEquals(10, admitted, "never more than a full bucket, however long the pause");
    }

    @Test
    void aDeviceOverItsByteQuotaIsRefusedAndItsMessageTokensAreNotTaken() {
        // bytes: 100,000/s × 1 s = 100,000 bytes; messages: 2/s × 1 s = 2
        PublishQuotas quotas = new PublishQuotas(new DevicePublishQuota(2, 100_000, Duration.ofSeconds(1)));

        assertTrue(quotas.tryAdmit("d", 80_000, T0));
        assertFalse(quotas.tryAdmit("d", 80_000, T0), "20,000 bytes left");
        assertTrue(quotas.tryAdmit("d", 20_000, T0), "the refused message took no message token");
        assertFalse(quotas.tryAdmit("d", 0, T0), "now the message bucket is empty");
    }

    @Test
    void eachDeviceHasItsOwnBuckets() {
        PublishQuotas quotas = new PublishQuotas(new DevicePublishQuota(1, 0, Duration.ofSeconds(1)));

        assertTrue(quotas.tryAdmit("flooder", 1, T0));
        assertFalse(quotas.tryAdmit("flooder", 1, T0));
        assertTrue(quotas.tryAdmit("honest", 1, T0));
    }

    @Test
    void zeroRatesMeanNoLimit() {
        PublishQuotas quotas = new PublishQuotas(DevicePublishQuota.UNLIMITED);

        for (int i = 0; i < 100_000; i++) {
            assertTrue(quotas.tryAdmit("d", 1_000_000, T0));
        }
        assertEquals(0, quotas.trackedClients(), "nothing is kept per device without a limit");
    }

    @Test
    void aMessageLargerThanTheByteBucketWaitsForAFullBucketInsteadOfBeingRefusedForEver() {
        // 1,000 bytes/s for 1 s: a bucket smaller than one full-size message.
        PublishQuotas quotas = new PublishQuotas(new DevicePublishQuota(0, 1_000, Duration.ofSeconds(1)));

        assertTrue(quotas.tryAdmit("d", 70_000, T0), "from a full bucket");
        assertFalse(quotas.tryAdmit("d", 1, T0), "it cost the whole bucket");
        assertFalse(quotas.tryAdmit("d", 70_000, T0 + SECOND / 2));
        assertTrue(quotas.tryAdmit("d", 70_000, T0 + SECOND), "full again after the burst");
    }

    @Test
    void aSweepForgetsOnlyDevicesWhoseBucketsAreFullAgain() {
        PublishQuotas quotas = new PublishQuotas(new DevicePublishQuota(1, 0, Duration.ofSeconds(10)));
        quotas.tryAdmit("early", 1, T0);
        quotas.tryAdmit("late", 1, T0 + 5 * SECOND);

        quotas.sweep(T0 + 5 * SECOND + SECOND / 2);

        assertEquals(1, quotas.trackedClients(), "early is full again since T0 + 1 s, late only at T0 + 6 s");
        quotas.sweep(T0 + 6 * SECOND + 1);
        assertEquals(0, quotas.trackedClients());
    }

    @Test
    void gatewaySettingsBecomeTheBrokerQuota() {
        assertEquals(DevicePublishQuota.DEFAULT, DevicePublishQuota.fromGatewaySettings(null, null, null));
        assertEquals(new DevicePublishQuota(50, 8192, Duration.ofSeconds(2)),
                DevicePublishQuota.fromGatewaySettings("50", "8192", "PT2S"));
        assertThrows(IllegalArgumentException.class, () -> new DevicePublishQuota(-1, 0, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new DevicePublishQuota(1, 0, Duration.ZERO));
    }
}
