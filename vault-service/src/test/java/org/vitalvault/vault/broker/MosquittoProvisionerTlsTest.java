package org.vitalvault.vault.broker;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Optional;
import java.util.UUID;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitalvault.mqtt.MqttSockets;
import org.vitalvault.mqtt.TlsFiles;

/**
 * The provisioner reaches Mosquitto's dynamic-security plugin over TLS (docs/decisions/034): with
 * the broker's CA as {@code vitalvault.broker.tls.trust-file} it provisions a device; trusting
 * another CA it refuses the broker before sending anything (skipped where Mosquitto is not installed).
 */
class MosquittoProvisionerTlsTest {

    @TempDir
    static Path dir;

    private static DynsecMosquitto mosquitto;
    private static Path caPem;
    private static Path otherCaPem;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(DynsecMosquitto.installed(), "Mosquitto with the dynamic-security plugin is not installed here");
        KeyPair ca = ec();
        X509Certificate caCert = sign(new X500Name("CN=test CA"), new X500Name("CN=test CA"), ca, ca.getPrivate(), true);
        KeyPair server = ec();
        X509Certificate serverCert = sign(new X500Name("CN=test CA"), new X500Name("CN=localhost"), server,
                ca.getPrivate(), false);
        caPem = write("ca.pem", "CERTIFICATE", caCert.getEncoded());
        Path certPem = write("server.pem", "CERTIFICATE", serverCert.getEncoded());
        Path keyPem = write("server.key", "PRIVATE KEY", server.getPrivate().getEncoded());
        KeyPair other = ec();
        otherCaPem = write("other.pem", "CERTIFICATE",
                sign(new X500Name("CN=other"), new X500Name("CN=other"), other, other.getPrivate(), true).getEncoded());
        mosquitto = DynsecMosquitto.start(caPem, certPem, keyPem);
    }

    @AfterAll
    static void stop() throws Exception {
        if (mosquitto != null) {
            mosquitto.close();
        }
    }

    @Test
    void withTheBrokersCaTheProvisionerProvisionsOverTls() throws Exception {
        UUID device = UUID.randomUUID();
        provisioner(caPem).provision(device, "secret-tls");
        MqttAsyncClient c = new MqttAsyncClient(mosquitto.url(), device.toString(), new MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setUserName(device.toString());
        o.setPassword("secret-tls".getBytes(StandardCharsets.UTF_8));
        c.connect(o).waitForCompletion(10_000);
        assertTrue(c.isConnected(), "the device provisioned over TLS logs in");
        c.disconnect().waitForCompletion(5_000);
        c.close();
    }

    @Test
    void trustingAnotherCaTheProvisionerRefusesTheBrokerBeforeSendingAnything() {
        ProvisioningException e = assertThrows(ProvisioningException.class,
                () -> provisioner(otherCaPem).provision(UUID.randomUUID(), "s"));
        assertFalse(e.commandSent());
    }

    private static MosquittoProvisioner provisioner(Path trust) {
        String url = mosquitto.tlsUrl();
        return new MosquittoProvisioner(new MosquittoProvisioner.Settings(url, DynsecMosquitto.ADMIN,
                DynsecMosquitto.ADMIN_PASSWORD, Duration.ofSeconds(20), MqttSockets.forUrl(url,
                new TlsFiles("vitalvault.broker.tls", Optional.of(trust), Optional.empty(), Optional.empty()), 0)));
    }

    private static Path write(String name, String type, byte[] der) throws Exception {
        return Files.writeString(dir.resolve(name), "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der) + "\n-----END " + type + "-----\n");
    }

    private static KeyPair ec() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static X509Certificate sign(X500Name issuer, X500Name subject, KeyPair subjectKeys, PrivateKey signer,
                                        boolean ca) throws Exception {
        Instant now = Instant.now();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(System.nanoTime()),
                Date.from(now.minusSeconds(3600)), Date.from(now.plusSeconds(86_400)), subject, subjectKeys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        if (!ca) {
            b.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.dNSName, "localhost")));
        }
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
    }
}
