package org.vitalvault.deploy.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vitalvault.deploy.TestFolders;
import org.vitalvault.wire.Topics;

/**
 * The Mosquitto configuration shipped in deploy/mosquitto, set up by its dynsec-setup.sh and run by
 * the real Mosquitto (skipped where it is not installed; CI installs it): devices publish only to
 * their own topic.
 */
class MosquittoAclIT {

    private static DynsecMosquitto mosquitto;
    private static Path confDir;
    private static String url;
    private static final String DEVICE_A = UUID.randomUUID().toString();
    private static final String DEVICE_B = UUID.randomUUID().toString();

    @BeforeAll
    static void startMosquitto() throws Exception {
        assumeTrue(DynsecMosquitto.installed(), "Mosquitto with the dynamic-security plugin is not installed here");
        Path repo = Path.of(System.getProperty("vitalvault.repo", "..")).toAbsolutePath().normalize();
        confDir = TestFolders.create("mosquitto-acl");
        mosquitto = DynsecMosquitto.start(repo, confDir);
        url = mosquitto.url();
        for (String device : new String[] {DEVICE_A, DEVICE_B}) {
            mosquitto.setup("device", device, "secret-" + device);
        }
    }

    @AfterAll
    static void stopMosquitto() throws InterruptedException {
        if (mosquitto != null) {
            mosquitto.close();
        }
        TestFolders.delete(confDir);
    }

    @Test
    void deviceCanPublishToItsOwnTopicOnly() throws Exception {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        MqttClient gateway = connect(DynsecMosquitto.GATEWAY, mosquitto.gatewayPassword());
        gateway.setCallback(new org.eclipse.paho.mqttv5.client.MqttCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) {
                received.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8));
            }

            @Override
            public void disconnected(org.eclipse.paho.mqttv5.client.MqttDisconnectResponse r) {
            }

            @Override
            public void mqttErrorOccurred(MqttException e) {
            }

            @Override
            public void deliveryComplete(org.eclipse.paho.mqttv5.client.IMqttToken t) {
            }

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
            }

            @Override
            public void authPacketArrived(int reasonCode, org.eclipse.paho.mqttv5.common.packet.MqttProperties p) {
            }
        });
        gateway.subscribe(new MqttSubscription[] {new MqttSubscription(Topics.sharedReadings(Topics.GATEWAY_SHARE_GROUP), 1)});

        MqttClient a = connect(DEVICE_A, "secret-" + DEVICE_A);
        publishQuietly(a, Topics.readings(DEVICE_B), "forged");
        publishQuietly(a, Topics.readings(DEVICE_A), "own");
        assertEquals(Topics.readings(DEVICE_A) + " own", received.poll(5, TimeUnit.SECONDS));
        assertNull(received.poll(1, TimeUnit.SECONDS), "nothing else, above all not the forged message");
        a.disconnect();
        gateway.disconnect();
    }

    @Test
    void aDeviceCannotPublishAFakeCheckpointAndEveryoneReadsTheGenuineOne() throws Exception {
        String genuine = "vitalvault.local/audit\n5\ngenuine-" + UUID.randomUUID() + "\n";
        MqttClient audit = connect(DynsecMosquitto.AUDIT, mosquitto.auditPassword());
        MqttMessage retained = new MqttMessage(genuine.getBytes(StandardCharsets.UTF_8));
        retained.setQos(1);
        retained.setRetained(true);
        audit.publish(Topics.AUDIT_CHECKPOINT, retained);
        audit.disconnect();

        // The attack: a device (and the gateway) publish a fake retained checkpoint.
        String fake = "vitalvault.local/audit\n6\nfake-" + UUID.randomUUID() + "\n";
        for (String[] login : new String[][] {{DEVICE_A, "secret-" + DEVICE_A},
                {DynsecMosquitto.GATEWAY, mosquitto.gatewayPassword()},
                {DynsecMosquitto.WITNESS, mosquitto.witnessPassword()}}) {
            MqttClient c = connect(login[0], login[1]);
            try {
                MqttMessage m = new MqttMessage(fake.getBytes(StandardCharsets.UTF_8));
                m.setQos(1);
                m.setRetained(true);
                c.publish(Topics.AUDIT_CHECKPOINT, m);
            } catch (MqttException refused) {
                // Refused with a PUBACK reason code; either way it must not be retained.
            } finally {
                if (c.isConnected()) {
                    c.disconnect();
                }
            }
        }

        // Every kind of client reads the retained checkpoint: the genuine one.
        for (String[] login : new String[][] {{DEVICE_B, "secret-" + DEVICE_B},
                {DynsecMosquitto.WITNESS, mosquitto.witnessPassword()},
                {DynsecMosquitto.GATEWAY, mosquitto.gatewayPassword()}}) {
            BlockingQueue<String> seen = new LinkedBlockingQueue<>();
            MqttClient c = new MqttClient(url, login[0], new MemoryPersistence());
            c.setCallback(new org.eclipse.paho.mqttv5.client.MqttCallback() {
                @Override
                public void messageArrived(String topic, MqttMessage message) {
                    seen.add(new String(message.getPayload(), StandardCharsets.UTF_8));
                }

                @Override
                public void disconnected(org.eclipse.paho.mqttv5.client.MqttDisconnectResponse r) {
                }

                @Override
                public void mqttErrorOccurred(MqttException e) {
                }

                @Override
                public void deliveryComplete(org.eclipse.paho.mqttv5.client.IMqttToken t) {
                }

                @Override
                public void connectComplete(boolean reconnect, String serverURI) {
                }

                @Override
                public void authPacketArrived(int reasonCode, org.eclipse.paho.mqttv5.common.packet.MqttProperties p) {
                }
            });
            MqttConnectionOptions o = new MqttConnectionOptions();
            o.setUserName(login[0]);
            o.setPassword(login[1].getBytes(StandardCharsets.UTF_8));
            c.connect(o);
            int[] granted = c.subscribe(new MqttSubscription[] {new MqttSubscription(Topics.AUDIT_CHECKPOINT, 1)})
                    .getReasonCodes();
            assertEquals(1, granted[0], login[0] + " may read the checkpoints");
            assertEquals(genuine, seen.poll(5, TimeUnit.SECONDS), login[0]);
            assertNull(seen.poll(500, TimeUnit.MILLISECONDS), "no fake checkpoint for " + login[0]);
            c.disconnect();
        }
    }

    @Test
    void wrongCredentialIsRefused() {
        assertThrows(MqttException.class, () -> connect(DEVICE_A, "guess"));
    }

    private static void publishQuietly(MqttClient client, String topic, String payload) {
        try {
            MqttMessage m = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
            m.setQos(1);
            client.publish(topic, m);
        } catch (MqttException refused) {
            // Mosquitto answers a forbidden QoS 1 publish with a PUBACK reason code, which Paho may raise.
        }
    }

    private static MqttClient connect(String user, String password) throws MqttException {
        MqttClient c = new MqttClient(url, user, new MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setUserName(user);
        o.setPassword(password.getBytes(StandardCharsets.UTF_8));
        c.connect(o);
        return c;
    }
}
