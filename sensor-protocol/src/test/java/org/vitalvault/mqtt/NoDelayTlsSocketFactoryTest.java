package org.vitalvault.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TLS sockets of the gateway (and the vault's broker provisioner): the broker's certificate must
 * chain to the configured CA and name the host connected to, a client certificate is presented when
 * configured, and TCP_NODELAY stays on as with plain sockets.
 */
class NoDelayTlsSocketFactoryTest {

    private static TestCa ca;
    private static TestCa otherCa;

    @TempDir
    Path dir;

    private final ExecutorService server = Executors.newSingleThreadExecutor();

    @BeforeAll
    static void cas() throws Exception {
        ca = new TestCa("right CA");
        otherCa = new TestCa("wrong CA");
    }

    @AfterEach
    void stop() {
        server.shutdownNow();
    }

    @Test
    void socketsHaveTcpNoDelayAndTalkToABrokerWhoseCertificateNamesTheHost() throws Exception {
        TestCa.Issued broker = ca.issue("localhost", TestCa.dns("localhost"), TestCa.ip("127.0.0.1"));
        try (SSLServerSocket listener = listen(TestCa.serverContext(broker, null))) {
            Future<Integer> echoed = echoOnce(listener);
            SSLSocketFactory factory = new NoDelayTlsSocketFactory(trusting(ca).clientContext());
            // As Paho connects: an unconnected socket, then connect to host:port.
            try (Socket s = factory.createSocket()) {
                s.connect(new InetSocketAddress("localhost", listener.getLocalPort()), 5000);
                assertTrue(s.getTcpNoDelay(), "TCP_NODELAY on the TLS socket");
                s.getOutputStream().write(42);
                assertEquals(42, s.getInputStream().read());
            }
            assertEquals(42, echoed.get(10, TimeUnit.SECONDS));
            Future<Integer> again = echoOnce(listener);
            try (Socket s = factory.createSocket("127.0.0.1", listener.getLocalPort())) {
                assertTrue(s.getTcpNoDelay());
                s.getOutputStream().write(7);
                assertEquals(7, s.getInputStream().read());
            }
            assertEquals(7, again.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aCertificateOfTheRightCaForAnotherHostIsRefused() throws Exception {
        TestCa.Issued elsewhere = ca.issue("broker.example", TestCa.dns("broker.example"));
        try (SSLServerSocket listener = listen(TestCa.serverContext(elsewhere, null))) {
            echoOnce(listener);
            SSLSocketFactory factory = new NoDelayTlsSocketFactory(trusting(ca).clientContext());
            try (SSLSocket s = (SSLSocket) factory.createSocket()) {
                s.connect(new InetSocketAddress("localhost", listener.getLocalPort()), 5000);
                assertThrows(SSLException.class, s::startHandshake, "host name verified");
            }
        }
    }

    @Test
    void aBrokerSignedByAnotherCaIsRefused() throws Exception {
        TestCa.Issued impostor = otherCa.issue("localhost", TestCa.dns("localhost"));
        try (SSLServerSocket listener = listen(TestCa.serverContext(impostor, null))) {
            echoOnce(listener);
            SSLSocketFactory factory = new NoDelayTlsSocketFactory(trusting(ca).clientContext());
            try (SSLSocket s = (SSLSocket) factory.createSocket("localhost", listener.getLocalPort())) {
                assertThrows(SSLException.class, s::startHandshake);
            }
        }
    }

    @Test
    void theConfiguredClientCertificateIsPresentedToABrokerThatRequiresOne() throws Exception {
        TestCa.Issued broker = ca.issue("localhost", TestCa.dns("localhost"));
        TestCa.Issued client = ca.issue("vault-gateway");
        TlsFiles withCert = new TlsFiles("t", Optional.of(ca.writeCertificate(dir, "ca.pem")),
                Optional.of(TestCa.writeCertificate(dir.resolve("client.pem"), client.certificate())),
                Optional.of(TestCa.writeKey(dir.resolve("client.key"), client.key())));
        try (SSLServerSocket listener = listen(TestCa.serverContext(broker, ca))) {
            listener.setNeedClientAuth(true);
            Future<Integer> echoed = echoOnce(listener);
            try (Socket s = new NoDelayTlsSocketFactory(withCert.clientContext()).createSocket("localhost",
                    listener.getLocalPort())) {
                s.getOutputStream().write(1);
                assertEquals(1, s.getInputStream().read());
            }
            assertEquals(1, echoed.get(10, TimeUnit.SECONDS));

            echoOnce(listener);
            try (Socket s = new NoDelayTlsSocketFactory(trusting(ca).clientContext()).createSocket("localhost",
                    listener.getLocalPort())) {
                s.setSoTimeout(10_000);
                assertTrue(refused(s), "no certificate, no connection");
            }
        }
    }

    @Test
    void anSslUrlGetsTlsSocketsAndATcpUrlPlainOnes() throws Exception {
        assertInstanceOf(NoDelayTlsSocketFactory.class, MqttSockets.forUrl("ssl://broker:8883", TlsFiles.none("t"), 0));
        assertInstanceOf(NoDelaySocketFactory.class, MqttSockets.forUrl("tcp://broker:1883", TlsFiles.none("t"), 0));
    }

    @Test
    void tlsFilesWithAPlaintextUrlAreRefusedNotIgnored() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MqttSockets.forUrl("tcp://broker:1883", trusting(ca), 0));
        assertTrue(e.getMessage().contains("not ssl://"), e.getMessage());
    }

    @Test
    void aMissingTrustFileIsAnErrorNamingTheSettingAndTheFile() {
        Path missing = dir.resolve("nope.pem");
        TlsFiles files = new TlsFiles("vitalvault.gateway.mqtt.tls", Optional.of(missing), Optional.empty(), Optional.empty());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, files::clientContext);
        assertTrue(e.getMessage().contains("vitalvault.gateway.mqtt.tls.trust-file") && e.getMessage().contains(missing.toString()),
                e.getMessage());
    }

    @Test
    void aFileWithoutACertificateAndAKeyInTheWrongFormatAreClearErrors() throws Exception {
        Path notPem = java.nio.file.Files.writeString(dir.resolve("ca.pem"), "hello");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TlsFiles("p",
                Optional.of(notPem), Optional.empty(), Optional.empty()).clientContext());
        assertTrue(e.getMessage().contains("no PEM certificate"), e.getMessage());

        Path pkcs1 = java.nio.file.Files.writeString(dir.resolve("k.pem"), TestCa.pem("RSA PRIVATE KEY", new byte[] {1, 2}));
        TestCa.Issued client = ca.issue("c");
        Path cert = TestCa.writeCertificate(dir.resolve("c.pem"), client.certificate());
        e = assertThrows(IllegalArgumentException.class, () -> new TlsFiles("p", Optional.empty(), Optional.of(cert),
                Optional.of(pkcs1)).clientContext());
        assertTrue(e.getMessage().contains("PKCS#8") && !e.getMessage().contains("AQI"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> new TlsFiles("p", Optional.empty(), Optional.of(cert),
                Optional.empty()).clientContext());
        assertTrue(e.getMessage().contains("go together"), e.getMessage());
    }

    /** Whether the server ended the connection instead of echoing (TLS 1.3 reports it at the first read). */
    private static boolean refused(Socket s) {
        try {
            s.getOutputStream().write(1);
            return s.getInputStream().read() == -1;
        } catch (IOException e) {
            return true;
        }
    }

    private TlsFiles trusting(TestCa trusted) throws IOException {
        return new TlsFiles("test", Optional.of(trusted.writeCertificate(dir, "trust-" + System.nanoTime() + ".pem")),
                Optional.empty(), Optional.empty());
    }

    private static SSLServerSocket listen(SSLContext context) throws IOException {
        return (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 5, InetAddress.getLoopbackAddress());
    }

    /** Accepts one connection and echoes one byte; the byte, or -1 when the handshake failed. */
    private Future<Integer> echoOnce(SSLServerSocket listener) {
        return server.submit(() -> {
            try (Socket s = listener.accept(); InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                int b = in.read();
                out.write(b);
                out.flush();
                return b;
            } catch (IOException e) {
                return -1;
            }
        });
    }
}
