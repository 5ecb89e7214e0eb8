package org.vitalvault.deploy.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vitalvault.deploy.TestFolders;
import org.vitalvault.deploy.stack.LocalStack;
import org.vitalvault.deploy.stack.VaultClient;
import org.vitalvault.tlog.Checkpoint;
import org.vitalvault.tlog.NoteKey;
import org.vitalvault.wire.Topics;

/**
 * The audit log's three witnesses on the real local stack (issue 17): a Paho client subscribed to
 * the checkpoint topic, the checkpoint file in the data folder and GET /audit/checkpoint end up
 * holding the same note, and it verifies against GET /audit/key; a device's credential cannot put a
 * fake checkpoint on the topic. Waits are for conditions, bounded generously, never for a clock.
 */
class AuditWitnessIT {

    private static final long TIMEOUT_MILLIS = 120_000;
    private static final int NOT_AUTHORIZED = 0x87;

    private static LocalStack stack;
    private static VaultClient vault;

    @BeforeAll
    static void start() throws Exception {
        Path repo = Path.of(System.getProperty("vitalvault.repo", "..")).toAbsolutePath().normalize();
        stack = LocalStack.start(new LocalStack.Options(repo, TestFolders.create("audit-witness"), Optional.empty(),
                "postgres", "", Optional.empty(), Optional.empty(), Optional.empty(), 0, 0, freePort(), freePort(),
                Map.of()));
        vault = new VaultClient(stack.vaultUrl());
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            try {
                stack.close();
            } finally {
                TestFolders.delete(stack.dataDir());
            }
        }
    }

    @Test
    void theTopicTheFileAndTheEndpointHoldTheSameVerifiedCheckpoint() throws Exception {
        Inbox inbox = new Inbox();
        MqttClient witness = witness(inbox);
        try {
            // Audited events: an organisation approved, an owner's consent granted and withdrawn.
            UUID org = AuditHttp.researcher(vault, vault, "Witness Cardiology");
            String token = vault.devToken("witness-owner-" + UUID.randomUUID(), "owner");
            UUID owner = vault.registerOrFind(token);
            AuditHttp.withdraw(vault, token, owner, AuditHttp.grant(vault, token, owner, org));

            NoteKey key = AuditHttp.key(stack.vaultUrl());
            long deadline = System.currentTimeMillis() + TIMEOUT_MILLIS;
            while (true) {
                Optional<String> served = AuditHttp.checkpoint(stack.vaultUrl());
                String file = Files.exists(stack.checkpointFile())
                        ? Files.readString(stack.checkpointFile(), StandardCharsets.UTF_8) : null;
                String published = inbox.last();
                if (served.isPresent() && served.get().equals(file) && served.get().equals(published)
                        && AuditHttp.open(served.get(), key).size() >= 2) {
                    Checkpoint c = AuditHttp.open(published, key);
                    System.out.printf("the three witnesses agree on size %d (%d notes on the topic)%n", c.size(),
                            inbox.notes.size());
                    break;
                }
                if (System.currentTimeMillis() > deadline) {
                    fail("witnesses disagree: endpoint " + served + ", file " + file + ", topic " + published);
                }
                Thread.sleep(200);
            }
            // Every note the topic carried verifies, and sizes never went down.
            long last = -1;
            for (String note : inbox.notes) {
                long size = AuditHttp.open(note, key).size();
                assertTrue(size >= last, "the topic went from size " + last + " back to " + size);
                last = size;
            }
        } finally {
            close(witness);
        }
    }

    @Test
    void aDeviceCredentialCannotPublishAFakeCheckpoint() throws Exception {
        String token = vault.devToken("witness-device-owner-" + UUID.randomUUID(), "owner");
        UUID owner = vault.registerOrFind(token);
        VaultClient.Pairing device = vault.pair(token, owner, "attacker");

        MqttClient attacker = new MqttClient(stack.mqttUrl(), device.deviceId().toString(), new MemoryPersistence());
        Inbox attackerInbox = new Inbox();
        attacker.setCallback(attackerInbox);
        attacker.connect(options(device.deviceId().toString(), device.credential()));
        String fake = "vitalvault.local/audit\n999999\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n\u2014 fake\n";
        try {
            MqttMessage m = new MqttMessage(fake.getBytes(StandardCharsets.UTF_8), 1, true, new MqttProperties());
            attacker.publish(Topics.AUDIT_CHECKPOINT, m);
        } catch (MqttException refused) {
            // PUBACK "not authorized" may surface here; the disconnect below is what counts.
        }
        long deadline = System.currentTimeMillis() + TIMEOUT_MILLIS;
        while (attackerInbox.disconnectReason < 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(NOT_AUTHORIZED, attackerInbox.disconnectReason);
        close(attacker);

        // A witness arriving now never sees the fake note (only the vault's retained checkpoint, if any yet).
        Inbox later = new Inbox();
        MqttClient witness = witness(later);
        try {
            Thread.sleep(1_000);
            assertFalse(later.notes.contains(fake));
        } finally {
            close(witness);
        }
    }

    private static MqttClient witness(Inbox inbox) throws MqttException {
        MqttClient c = new MqttClient(stack.mqttUrl(), "witness-" + UUID.randomUUID(), new MemoryPersistence());
        c.setCallback(inbox);
        c.connect(options(LocalStack.WITNESS_MQTT_USER, stack.witnessPassword()));
        int[] granted = c.subscribe(new MqttSubscription[] {new MqttSubscription(Topics.AUDIT_CHECKPOINT, 1)})
                .getReasonCodes();
        assertEquals(1, granted[0], "a witness may read the checkpoint topic");
        return c;
    }

    private static MqttConnectionOptions options(String user, String password) {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setUserName(user);
        o.setPassword(password.getBytes(StandardCharsets.UTF_8));
        o.setAutomaticReconnect(false);
        o.setConnectionTimeout(10);
        return o;
    }

    private static void close(MqttClient c) {
        try {
            if (c.isConnected()) {
                c.disconnect(1_000);
            }
            c.close(true);
        } catch (MqttException ignored) {
            // the test is over
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The notes a client received on the checkpoint topic, in order, and how the server disconnected it. */
    static final class Inbox implements MqttCallback {
        final List<String> notes = new CopyOnWriteArrayList<>();
        volatile int disconnectReason = -1;

        String last() {
            return notes.isEmpty() ? null : notes.get(notes.size() - 1);
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            if (Topics.AUDIT_CHECKPOINT.equals(topic)) {
                notes.add(new String(message.getPayload(), StandardCharsets.UTF_8));
            }
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            if (response.getException() == null) {
                disconnectReason = response.getReturnCode();
            }
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }
}
