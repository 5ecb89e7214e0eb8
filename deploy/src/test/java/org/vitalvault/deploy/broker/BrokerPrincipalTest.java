package org.vitalvault.deploy.broker;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class BrokerPrincipalTest {

    @Test
    void deviceIdIsACanonicalLowerCaseUuid() {
        String id = UUID.randomUUID().toString();

        assertDoesNotThrow(() -> new BrokerPrincipal.Device(id));
        assertThrows(IllegalArgumentException.class, () -> new BrokerPrincipal.Device(id.toUpperCase()));
        assertThrows(IllegalArgumentException.class, () -> new BrokerPrincipal.Device("1-1-1-1-1"));
        assertThrows(IllegalArgumentException.class, () -> new BrokerPrincipal.Device("+"));
        assertThrows(IllegalArgumentException.class, () -> new BrokerPrincipal.Device("#"));
    }

    @Test
    void serviceNameIsNotBlank() {
        assertThrows(IllegalArgumentException.class, () -> new BrokerPrincipal.Service(" "));
    }
}
