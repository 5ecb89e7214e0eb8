package org.vitalvault.vault.broker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The provisioner against the real Mosquitto 2 and its dynamic-security plugin (skipped where not installed). */
class MosquittoProvisionerTest {

    private static DynsecMosquitto mosquitto;
    private static MosquittoProvisioner provisioner;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(DynsecMosquitto.installed(), "Mosquitto with the dynamic-security plugin is not installed here");
        mosquitto = DynsecMosquitto.start();
        provisioner = new MosquittoProvisioner(new MosquittoProvisioner.Settings(mosquitto.url(), DynsecMosquitto.ADMIN,
                DynsecMosquitto.ADMIN_PASSWORD, Duration.ofSeconds(20)));
    }

    @AfterAll
    static void stop() throws Exception {
        if (mosquitto != null) {
            mosquitto.close();
        }
    }

    @Test
    void aProvisionedDeviceLogsInWithItsCredentialAndPublishesOnlyItsOwnReadings() throws Exception {
        UUID device = UUID.randomUUID();
        provisioner.provision(device, "secret-1");
        MqttAsyncClient c = connect(device, "secret-1");
        // 0x10: accepted, no subscriber yet (no gateway here).
        assertArrayEquals(new int[] {0x10}, publish(c, "readings/" + device));
        assertArrayEquals(new int[] {0x10}, publish(c, "readings/" + device + "/cbor"));
        assertArrayEquals(new int[] {0x87}, publish(c, "readings/" + UUID.randomUUID()));
        assertArrayEquals(new int[] {0x87}, publish(c, "receipts/" + device));
        IMqttToken own = c.subscribe("receipts/" + device, 1);
        own.waitForCompletion(10_000);
        assertArrayEquals(new int[] {1}, own.getReasonCodes());
        IMqttToken other = c.subscribe("receipts/+", 1);
        other.waitForCompletion(10_000);
        assertArrayEquals(new int[] {0x87}, other.getReasonCodes());
        c.disconnect().waitForCompletion(5_000);
        c.close();
    }

    @Test
    void aWrongCredentialIsRefused() throws Exception {
        UUID device = UUID.randomUUID();
        provisioner.provision(device, "right");
        assertThrows(MqttException.class, () -> connect(device, "wrong"));
    }

    @Test
    void deprovisioningDisconnectsTheDeviceAndRefusesItFromThenOn() throws Exception {
        UUID device = UUID.randomUUID();
        provisioner.provision(device, "secret-2");
        MqttAsyncClient c = connect(device, "secret-2");
        provisioner.deprovision(device);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (c.isConnected() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertFalse(c.isConnected(), "the broker kicks a connected device whose client was deleted");
        c.close();
        MqttException refused = assertThrows(MqttException.class, () -> connect(device, "secret-2"));
        assertTrue(refused.getReasonCode() == 0x86 || refused.getReasonCode() == 0x87, "reason " + refused.getReasonCode());
    }

    @Test
    void deprovisioningWhatIsNotThereSucceeds() throws Exception {
        provisioner.deprovision(UUID.randomUUID());
    }

    @Test
    void aDeviceTheBrokerAlreadyKnowsIsRefusedAfterTheCommandWasSent() throws Exception {
        UUID device = UUID.randomUUID();
        provisioner.provision(device, "first");
        ProvisioningException e = assertThrows(ProvisioningException.class, () -> provisioner.provision(device, "second"));
        assertTrue(e.commandSent());
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());
    }

    @Test
    void anUnreachableBrokerFailsBeforeAnythingIsSent() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        MosquittoProvisioner nowhere = new MosquittoProvisioner(new MosquittoProvisioner.Settings(
                "tcp://127.0.0.1:" + port, "admin", "x", Duration.ofSeconds(2)));
        ProvisioningException e = assertThrows(ProvisioningException.class,
                () -> nowhere.provision(UUID.randomUUID(), "s"));
        assertFalse(e.commandSent());
    }

    @Test
    void aWrongAdminPasswordFailsBeforeAnythingIsSent() {
        MosquittoProvisioner impostor = new MosquittoProvisioner(new MosquittoProvisioner.Settings(
                mosquitto.url(), DynsecMosquitto.ADMIN, "guess", Duration.ofSeconds(5)));
        ProvisioningException e = assertThrows(ProvisioningException.class,
                () -> impostor.provision(UUID.randomUUID(), "s"));
        assertFalse(e.commandSent());
    }

    @Test
    void concurrentRequestsOfOneProcessDoNotTakeEachOtherOver() throws Exception {
        UUID[] devices = new UUID[6];
        Thread[] threads = new Thread[devices.length];
        Exception[] failures = new Exception[devices.length];
        for (int i = 0; i < devices.length; i++) {
            int n = i;
            devices[n] = UUID.randomUUID();
            threads[n] = new Thread(() -> {
                try {
                    provisioner.provision(devices[n], "s-" + n);
                } catch (Exception e) {
                    failures[n] = e;
                }
            });
            threads[n].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        for (int i = 0; i < devices.length; i++) {
            assertEquals(null, failures[i]);
            connect(devices[i], "s-" + i).disconnect().waitForCompletion(5_000);
        }
    }

    private static MqttAsyncClient connect(UUID device, String credential) throws MqttException {
        MqttAsyncClient c = new MqttAsyncClient(mosquitto.url(), device.toString(), new MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setUserName(device.toString());
        o.setPassword(credential.getBytes(StandardCharsets.UTF_8));
        c.connect(o).waitForCompletion(10_000);
        return c;
    }

    private static int[] publish(MqttAsyncClient c, String topic) throws MqttException {
        IMqttToken t = c.publish(topic, new MqttMessage("x".getBytes(StandardCharsets.UTF_8), 1, false, null));
        t.waitForCompletion(10_000);
        return t.getReasonCodes();
    }
}
