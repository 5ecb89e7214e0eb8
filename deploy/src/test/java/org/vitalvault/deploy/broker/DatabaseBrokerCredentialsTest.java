package org.vitalvault.deploy.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.vitalvault.deploy.broker.TestDevices.PairedDevice;
import org.vitalvault.wire.Topics;

class DatabaseBrokerCredentialsTest {

    private final TestDevices devices = TestPostgres.devices();
    private final BrokerCredentials credentials = devices.credentials();

    @Test
    void serviceUserWithItsPasswordIsTheService() {
        assertEquals(Optional.of(new BrokerPrincipal.Service(TestDevices.SERVICE_USER)),
                credentials.authenticate(TestDevices.SERVICE_USER, TestDevices.SERVICE_PASSWORD.clone()));
    }

    @Test
    void serviceUserWithAnotherPasswordIsRefused() {
        assertTrue(credentials.authenticate(TestDevices.SERVICE_USER, bytes("guess")).isEmpty());
        assertTrue(credentials.authenticate(TestDevices.SERVICE_USER, new byte[0]).isEmpty());
    }

    @Test
    void pairedDeviceWithItsSecretIsThatDevice() throws Exception {
        PairedDevice device = devices.pair();

        assertEquals(Optional.of(new BrokerPrincipal.Device(device.id())),
                credentials.authenticate(device.id(), device.secret()));
    }

    @Test
    void pairedDeviceWithAnotherSecretIsRefused() throws Exception {
        PairedDevice device = devices.pair();
        PairedDevice other = devices.pair();

        assertTrue(credentials.authenticate(device.id(), other.secret()).isEmpty());
    }

    @Test
    void unpairedDeviceIsRefusedEvenWithItsSecret() throws Exception {
        PairedDevice device = devices.pair();
        devices.unpair(device);

        assertTrue(credentials.authenticate(device.id(), device.secret()).isEmpty());
    }

    @Test
    void unknownOrNonCanonicalDeviceIdIsRefused() throws Exception {
        PairedDevice device = devices.pair();

        assertTrue(credentials.authenticate(UUID.randomUUID().toString(), device.secret()).isEmpty());
        assertTrue(credentials.authenticate(device.id().toUpperCase(), device.secret()).isEmpty());
        assertTrue(credentials.authenticate(Topics.ALL_READINGS, device.secret()).isEmpty());
    }

    @Test
    void unreachableDatabaseIsReportedAsUnavailableNotAsRefusal() throws Exception {
        PairedDevice device = devices.pair();
        BrokerCredentials offline = new DatabaseBrokerCredentials(
                "jdbc:postgresql://127.0.0.1:1/postgres", "postgres", "", TestDevices.SERVICE_USER,
                TestDevices.SERVICE_PASSWORD);

        assertThrows(CredentialStoreUnavailableException.class,
                () -> offline.authenticate(device.id(), device.secret()));
        assertFalse(offline.authenticate(TestDevices.SERVICE_USER, TestDevices.SERVICE_PASSWORD).isEmpty(),
                "the service user does not need the database");
    }

    @Test
    void serviceUserMustNotLookLikeADeviceId() {
        assertThrows(IllegalArgumentException.class, () -> new DatabaseBrokerCredentials(
                "jdbc:postgresql://127.0.0.1:1/postgres", "postgres", "", UUID.randomUUID().toString(),
                TestDevices.SERVICE_PASSWORD));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
