package org.vitalvault.gateway.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The gateway's two connections never log in as one user, so Mosquitto never gives them one client id. */
class ReceiptConnectionSettingsTest {

    private static final MqttIngestClient.Settings INGEST = new MqttIngestClient.Settings("tcp://broker:1883",
            "vault-gateway-1", "vault-gateway-1", "pw", "vault-gw", 1000, Duration.ofHours(1), Duration.ofSeconds(15), 81_920);

    @Test
    void byDefaultTheReceiptConnectionLogsInAsTheUserNamePlusReceiptsWithTheSamePassword() {
        MqttIngestClient.Settings r = INGEST.forReceipts(Optional.empty(), Optional.empty());
        assertEquals("vault-gateway-1-receipts", r.username());
        assertEquals("pw", r.password());
        assertNotEquals(INGEST.username(), r.username());
    }

    @Test
    void aConfiguredReceiptUserAndPasswordAreUsed() {
        MqttIngestClient.Settings r = INGEST.forReceipts(Optional.of("gw-1-receipts"), Optional.of("other"));
        assertEquals("gw-1-receipts", r.username());
        assertEquals("other", r.password());
    }

    @Test
    void theReceiptClientIdIsTheIngestClientIdPlusReceiptsSoReplicasSharingAUserStayApart() {
        assertEquals("vault-gateway-1-receipts", INGEST.forReceipts(Optional.empty(), Optional.empty()).clientId());
        assertEquals("vault-gateway-1-receipts", INGEST.forReceipts(Optional.of("shared"), Optional.empty()).clientId());
    }

    @Test
    void everythingElseIsTheIngestConnections() {
        MqttIngestClient.Settings r = INGEST.forReceipts(Optional.empty(), Optional.empty());
        assertEquals(INGEST.url(), r.url());
        assertEquals(INGEST.sharedGroup(), r.sharedGroup());
    }

    @Test
    void withoutALoginThereIsNoReceiptUserEither() {
        MqttIngestClient.Settings anonymous = new MqttIngestClient.Settings("tcp://b:1883", "gw", null, null,
                "vault-gw", 10, Duration.ofHours(1), Duration.ZERO, 0);
        MqttIngestClient.Settings r = anonymous.forReceipts(Optional.empty(), Optional.empty());
        assertNull(r.username());
        assertEquals("gw-receipts", r.clientId());
    }
}
