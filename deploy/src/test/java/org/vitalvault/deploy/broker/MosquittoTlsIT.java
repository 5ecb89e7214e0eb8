package org.vitalvault.deploy.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.vitalvault.deploy.TestFolders;
import org.vitalvault.deploy.broker.TestMqtt.Inbox;
import org.vitalvault.deploy.tls.CertificateAuthority;
import org.vitalvault.deploy.tls.LocalTls;
import org.vitalvault.mqtt.NoDelayTlsSocketFactory;
import org.vitalvault.mqtt.TlsFiles;
import org.vitalvault.wire.Topics;

/**
 * The TLS listener of deploy/mosquitto/mosquitto.conf on the real Mosquitto (skipped where it is
 * not installed; CI installs it), with certificates of a local CA: a device trusting that CA
 * publishes over TLS and the gateway (on the loopback listener) receives it; a device trusting
 * another CA refuses the broker; with {@code require_certificate true} a device without a client
 * certificate, or with one of another CA, is refused and one with a certificate of the CA publishes.
 */
class MosquittoTlsIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String PAYLOAD = "[{\"n\":\"heart_rate\",\"u\":\"beat/min\",\"v\":70}]";

    private static Path repo() {
        return Path.of(System.getProperty("vitalvault.repo", "..")).toAbsolutePath().normalize();
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class WithoutClientCertificates {
        private DynsecMosquitto mosquitto;
        private Path dir;

        @BeforeAll
        void start() throws Exception {
            assumeTrue(DynsecMosquitto.installed(), "Mosquitto with the dynamic-security plugin is not installed here");
            dir = TestFolders.create("mosquitto-tls");
            mosquitto = DynsecMosquitto.start(repo(), dir, false);
        }

        @AfterAll
        void stop() throws InterruptedException {
            if (mosquitto != null) {
                mosquitto.close();
            }
            TestFolders.delete(dir);
        }

        @Test
        void aDeviceTrustingTheCaPublishesOverTlsAndTheGatewayReceivesIt() throws Exception {
            String device = device(mosquitto);
            Inbox inbox = new Inbox();
            MqttClient gateway = new MqttClient(mosquitto.url(), DynsecMosquitto.GATEWAY, new MemoryPersistence());
            gateway.setCallback(inbox);
            gateway.connect(TestMqtt.options(DynsecMosquitto.GATEWAY, mosquitto.gatewayPassword().getBytes(StandardCharsets.UTF_8)));
            gateway.subscribe(new MqttSubscription[] {new MqttSubscription(Topics.sharedReadings(Topics.GATEWAY_SHARE_GROUP), 1)});
            MqttClient client = connect(mosquitto, device, trusting(mosquitto.tls().caPem()));
            try {
                assertTrue(TestMqtt.publishQos1(client, Topics.readings(device), PAYLOAD) < 0x80);
                assertTrue(inbox.await(Topics.readings(device), PAYLOAD, TIMEOUT));
            } finally {
                TestMqtt.closeQuietly(client);
                TestMqtt.closeQuietly(gateway);
            }
        }

        @Test
        void aDeviceTrustingAnotherCaRefusesTheBroker() throws Exception {
            String device = device(mosquitto);
            CertificateAuthority other = CertificateAuthority.create("another CA", Duration.ofDays(1));
            Path otherPem = dir.resolve("other-ca.pem");
            LocalTls.writePrivate(otherPem, CertificateAuthority.pem(other.certificate()));
            assertThrows(MqttException.class, () -> connect(mosquitto, device, trusting(otherPem)));
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class RequiringClientCertificates {
        private DynsecMosquitto mosquitto;
        private Path dir;

        @BeforeAll
        void start() throws Exception {
            assumeTrue(DynsecMosquitto.installed(), "Mosquitto with the dynamic-security plugin is not installed here");
            dir = TestFolders.create("mosquitto-mtls");
            mosquitto = DynsecMosquitto.start(repo(), dir, true);
        }

        @AfterAll
        void stop() throws InterruptedException {
            if (mosquitto != null) {
                mosquitto.close();
            }
            TestFolders.delete(dir);
        }

        @Test
        void aDeviceWithoutAClientCertificateIsRefused() throws Exception {
            String device = device(mosquitto);
            assertThrows(MqttException.class, () -> connect(mosquitto, device, trusting(mosquitto.tls().caPem())));
        }

        @Test
        void aDeviceWithACertificateOfAnotherCaIsRefused() throws Exception {
            String device = device(mosquitto);
            CertificateAuthority other = CertificateAuthority.create("another CA", Duration.ofDays(1));
            assertThrows(MqttException.class, () -> connect(mosquitto, device, withCertificate(mosquitto, other, device)));
        }

        @Test
        void aDeviceWithACertificateOfTheCaPublishes() throws Exception {
            String device = device(mosquitto);
            MqttClient client = connect(mosquitto, device, withCertificate(mosquitto, mosquitto.tls().authority(), device));
            try {
                assertTrue(TestMqtt.publishQos1(client, Topics.readings(device), PAYLOAD) < 0x80);
            } finally {
                TestMqtt.closeQuietly(client);
            }
        }

        private TlsFiles withCertificate(DynsecMosquitto m, CertificateAuthority issuer, String name) throws Exception {
            CertificateAuthority.Issued cert = issuer.issueClient(name, Duration.ofDays(1));
            Path certFile = dir.resolve(UUID.randomUUID() + ".pem");
            Path keyFile = dir.resolve(UUID.randomUUID() + ".key");
            LocalTls.writePrivate(certFile, CertificateAuthority.pem(cert.certificate()));
            LocalTls.writePrivate(keyFile, CertificateAuthority.pem(cert.key()));
            return new TlsFiles("test", Optional.of(m.tls().caPem()), Optional.of(certFile), Optional.of(keyFile));
        }
    }

    /** A device login as the vault creates at pairing. */
    private static String device(DynsecMosquitto m) throws Exception {
        String id = UUID.randomUUID().toString();
        m.setup("device", id, "secret-" + id);
        return id;
    }

    private static MqttClient connect(DynsecMosquitto m, String device, TlsFiles files) throws MqttException {
        MqttClient client = new MqttClient(m.tlsUrl(), device, new MemoryPersistence());
        MqttConnectionOptions o = TestMqtt.options(device, ("secret-" + device).getBytes(StandardCharsets.UTF_8));
        o.setSocketFactory(new NoDelayTlsSocketFactory(files.clientContext()));
        o.setHttpsHostnameVerificationEnabled(true);
        try {
            client.connect(o);
            return client;
        } catch (MqttException e) {
            client.close(true);
            throw e;
        }
    }

    private static TlsFiles trusting(Path caPem) {
        return new TlsFiles("test", Optional.of(caPem), Optional.empty(), Optional.empty());
    }
}
