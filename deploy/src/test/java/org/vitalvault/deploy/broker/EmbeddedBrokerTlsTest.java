package org.vitalvault.deploy.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitalvault.deploy.broker.TestDevices.PairedDevice;
import org.vitalvault.deploy.broker.TestMqtt.Inbox;
import org.vitalvault.deploy.tls.CertificateAuthority;
import org.vitalvault.deploy.tls.LocalTls;
import org.vitalvault.mqtt.NoDelayTlsSocketFactory;
import org.vitalvault.mqtt.TlsFiles;
import org.vitalvault.wire.Topics;

/**
 * The embedded broker's TLS listener (docs/decisions/034), with the local CA of {@link LocalTls}:
 * a device that trusts that CA connects and publishes over TLS; a device trusting another CA, or
 * (with client certificates required) one without a certificate or with one from another CA, is
 * refused before it can log in; the plaintext listener answers on loopback only.
 */
class EmbeddedBrokerTlsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    static Path dir;

    private static TestDevices devices;
    private static LocalTls localTls;
    private static CertificateAuthority otherCa;
    private static Path otherCaPem;
    /** Without client certificates, and requiring them: one broker each, shared by the tests. */
    private static EmbeddedBroker plain;
    private static EmbeddedBroker mutual;
    private EmbeddedBroker broker;

    @BeforeAll
    static void certificatesAndBrokers() throws Exception {
        devices = TestPostgres.devices();
        localTls = LocalTls.ensure(dir.resolve("tls"));
        otherCa = CertificateAuthority.create("an attacker's CA", Duration.ofDays(1));
        otherCaPem = dir.resolve("other-ca.pem");
        LocalTls.writePrivate(otherCaPem, CertificateAuthority.pem(otherCa.certificate()));
        plain = startBroker(BrokerTls.ClientAuth.NONE);
        mutual = startBroker(BrokerTls.ClientAuth.REQUIRED);
    }

    @AfterAll
    static void stopBrokers() {
        for (EmbeddedBroker b : new EmbeddedBroker[] {plain, mutual}) {
            if (b != null) {
                b.close();
            }
        }
    }

    @Test
    void aDeviceTrustingTheLocalCaPublishesOverTlsAndTheServiceReceivesIt() throws Exception {
        broker = start(BrokerTls.ClientAuth.NONE);
        Inbox inbox = new Inbox();
        MqttClient service = new MqttClient(broker.tlsUrl(), "vault-gw-" + UUID.randomUUID(), new MemoryPersistence());
        service.setCallback(inbox);
        service.connect(tls(TestMqtt.options(TestDevices.SERVICE_USER, TestDevices.SERVICE_PASSWORD), trusting(localTls.caPem())));
        service.subscribe(new MqttSubscription[] {new MqttSubscription(Topics.sharedReadings(Topics.GATEWAY_SHARE_GROUP), 1)});
        PairedDevice device = devices.pair();
        MqttClient client = connect(device, trusting(localTls.caPem()));
        try {
            String payload = "[{\"n\":\"heart_rate\",\"u\":\"beat/min\",\"v\":71}]";
            assertEquals(0, TestMqtt.publishQos1(client, device.readings(), payload));
            assertTrue(inbox.await(device.readings(), payload, TIMEOUT));
        } finally {
            TestMqtt.closeQuietly(client);
            TestMqtt.closeQuietly(service);
        }
    }

    @Test
    void aDeviceTrustingAnotherCaRefusesTheBroker() throws Exception {
        broker = start(BrokerTls.ClientAuth.NONE);
        PairedDevice device = devices.pair();
        assertThrows(MqttException.class, () -> connect(device, trusting(otherCaPem)));
    }

    @Test
    void withClientCertificatesRequiredADeviceWithoutOneIsRefused() throws Exception {
        broker = start(BrokerTls.ClientAuth.REQUIRED);
        PairedDevice device = devices.pair();
        assertThrows(MqttException.class, () -> connect(device, trusting(localTls.caPem())));
    }

    @Test
    void withClientCertificatesRequiredACertificateFromAnotherCaIsRefused() throws Exception {
        broker = start(BrokerTls.ClientAuth.REQUIRED);
        PairedDevice device = devices.pair();
        assertThrows(MqttException.class, () -> connect(device, withClientCertificate(otherCa, device.id())));
    }

    @Test
    void withClientCertificatesRequiredADeviceWithACertificateFromTheLocalCaPublishes() throws Exception {
        broker = start(BrokerTls.ClientAuth.REQUIRED);
        PairedDevice device = devices.pair();
        MqttClient client = connect(device, withClientCertificate(localTls.authority(), device.id()));
        try {
            // 0x10 "no matching subscribers" is a success too: nobody reads this broker's readings here.
            assertTrue(TestMqtt.publishQos1(client, device.readings(), "[{\"n\":\"spo2\",\"u\":\"%\",\"v\":97}]") < 0x80);
        } finally {
            TestMqtt.closeQuietly(client);
        }
    }

    @Test
    void aClientCertificateDoesNotReplaceTheDevicesCredential() throws Exception {
        broker = start(BrokerTls.ClientAuth.REQUIRED);
        PairedDevice device = devices.pair();
        PairedDevice wrongSecret = new PairedDevice(device.id(), "guess".getBytes());
        assertThrows(MqttException.class, () -> connect(wrongSecret, withClientCertificate(localTls.authority(), device.id())));
    }

    @Test
    void thePlaintextListenerAnswersOnLoopbackOnly() throws Exception {
        broker = start(BrokerTls.ClientAuth.NONE);
        Optional<InetAddress> external = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .filter(i -> !isLoopback(i))
                .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
                .filter(a -> a instanceof java.net.Inet4Address)
                .findFirst();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), broker.port()), 5_000);
        }
        if (external.isPresent()) {
            try (Socket s = new Socket()) {
                assertThrows(java.io.IOException.class,
                        () -> s.connect(new InetSocketAddress(external.get(), broker.port()), 5_000));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(external.get(), broker.tlsPort()), 5_000);   // TLS: all interfaces
            }
        }
    }

    private static boolean isLoopback(NetworkInterface i) {
        try {
            return i.isLoopback() || !i.isUp();
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    private EmbeddedBroker start(BrokerTls.ClientAuth mode) {
        return mode == BrokerTls.ClientAuth.NONE ? plain : mutual;
    }

    private static EmbeddedBroker startBroker(BrokerTls.ClientAuth mode) {
        BrokerTls tls = BrokerTls.onAllInterfaces(0, localTls.serverPem(), localTls.serverKey())
                .withClientAuth(mode, localTls.caPem());
        return EmbeddedBroker.start(dir.resolve("broker-" + UUID.randomUUID()), 0, tls, devices.credentials(),
                DevicePublishQuota.DEFAULT);
    }

    private MqttClient connect(PairedDevice device, TlsFiles files) throws MqttException {
        MqttClient client = new MqttClient(broker.tlsUrl(), device.id(), new MemoryPersistence());
        try {
            client.connect(tls(TestMqtt.options(device.id(), device.secret()), files));
            return client;
        } catch (MqttException e) {
            client.close(true);
            throw e;
        }
    }

    private static MqttConnectionOptions tls(MqttConnectionOptions options, TlsFiles files) {
        options.setSocketFactory(new NoDelayTlsSocketFactory(files.clientContext()));
        options.setHttpsHostnameVerificationEnabled(true);
        return options;
    }

    private static TlsFiles trusting(Path caPem) {
        return new TlsFiles("test", Optional.of(caPem), Optional.empty(), Optional.empty());
    }

    private static TlsFiles withClientCertificate(CertificateAuthority issuer, String name) throws Exception {
        CertificateAuthority.Issued cert = issuer.issueClient(name, Duration.ofDays(1));
        Path certFile = dir.resolve(UUID.randomUUID() + ".pem");
        Path keyFile = dir.resolve(UUID.randomUUID() + ".key");
        LocalTls.writePrivate(certFile, CertificateAuthority.pem(cert.certificate()));
        LocalTls.writePrivate(keyFile, CertificateAuthority.pem(cert.key()));
        return new TlsFiles("test", Optional.of(localTls.caPem()), Optional.of(certFile), Optional.of(keyFile));
    }
}
