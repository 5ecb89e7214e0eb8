package org.vitalvault.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The topics are a contract with deployed devices and brokers' ACLs: spelled out here on purpose. */
class TopicsTest {

    private static final UUID DEVICE = UUID.fromString("2f1d8c3a-7b44-4e1e-9a57-0c8f3f6a9b21");

    @Test
    void deviceTopicsAreReadingsAndReceiptsUnderTheDeviceId() {
        assertEquals("readings/2f1d8c3a-7b44-4e1e-9a57-0c8f3f6a9b21", Topics.readings(DEVICE));
        assertEquals("readings/2f1d8c3a-7b44-4e1e-9a57-0c8f3f6a9b21/cbor", Topics.readings(DEVICE, "cbor"));
        assertEquals("readings/2f1d8c3a-7b44-4e1e-9a57-0c8f3f6a9b21/json", Topics.readings(DEVICE, "json"));
        assertEquals("receipts/2f1d8c3a-7b44-4e1e-9a57-0c8f3f6a9b21", Topics.receipts(DEVICE));
        assertEquals(Topics.readings(DEVICE), Topics.readings(DEVICE.toString()));
        assertEquals(Topics.receipts(DEVICE), Topics.receipts(DEVICE.toString()));
    }

    @Test
    void gatewayFiltersShareTheReadings() {
        assertEquals("$share/vault-gw/readings/+", Topics.sharedReadings(Topics.GATEWAY_SHARE_GROUP));
        assertEquals("$share/vault-gw/readings/+/+", Topics.sharedReadingsWithFormat(Topics.GATEWAY_SHARE_GROUP));
        assertEquals("readings/#", Topics.READINGS_TREE);
        assertEquals("receipts/+", Topics.ALL_RECEIPTS);
    }

    @Test
    void onlyJsonAndCborAreFormats() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Topics.readings(DEVICE, "xml"));
        assertEquals("format must be one of json, cbor", e.getMessage());
    }

    @Test
    void shareGroupMayNotWidenTheFilter() {
        assertThrows(IllegalArgumentException.class, () -> Topics.sharedReadings("a/b"));
        assertThrows(IllegalArgumentException.class, () -> Topics.sharedReadings("#"));
        assertThrows(IllegalArgumentException.class, () -> Topics.sharedReadings("+"));
        assertThrows(IllegalArgumentException.class, () -> Topics.sharedReadings(""));
    }
}
