package org.vitalvault.gateway.mqtt;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.time.Duration;
import java.util.Optional;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.junit.jupiter.api.Test;

/**
 * An ssl:// broker URL gets TLS sockets on both gateway connections (Paho refuses a plain socket
 * factory for it), with the broker's host name checked and TCP_NODELAY kept (docs/decisions/034).
 */
class TlsConnectionSettingsTest {

    private static MqttIngestClient.Settings settings(String url) {
        return new MqttIngestClient.Settings(url, "vault-gateway-1", "vault-gateway-1", "pw", "vault-gw", 1000,
                Duration.ofHours(1), Duration.ofSeconds(15), 81_920);
    }

    @Test
    void anSslUrlConnectsThroughTlsSocketsThatVerifyTheHostName() throws Exception {
        MqttConnectionOptions options = settings("ssl://broker.example:8883").connectionOptions();
        SocketFactory factory = options.getSocketFactory();
        assertInstanceOf(SSLSocketFactory.class, factory, "Paho accepts only an SSLSocketFactory for ssl://");
        assertTrue(options.isHttpsHostnameVerificationEnabled(), "Paho re-enables endpoint identification only with this");
        try (Socket s = factory.createSocket()) {
            assertTrue(s.getTcpNoDelay(), "TCP_NODELAY kept over TLS");
            assertInstanceOf(SSLSocket.class, s);
            assertTrue("HTTPS".equals(((SSLSocket) s).getSSLParameters().getEndpointIdentificationAlgorithm()),
                    "the broker's certificate must name the host");
        }
    }

    @Test
    void theReceiptConnectionUsesTheSameTls() {
        MqttIngestClient.Settings ingest = settings("ssl://broker.example:8883");
        MqttConnectionOptions receipts = ingest.forReceipts(Optional.empty(), Optional.empty()).connectionOptions();
        assertInstanceOf(SSLSocketFactory.class, receipts.getSocketFactory());
        assertSame(ingest.connectionOptions().getSocketFactory(), receipts.getSocketFactory());
    }

    @Test
    void aTcpUrlKeepsPlainSocketsWithTcpNoDelay() throws Exception {
        SocketFactory factory = settings("tcp://127.0.0.1:1883").connectionOptions().getSocketFactory();
        assertFalse(factory instanceof SSLSocketFactory);
        try (Socket s = factory.createSocket()) {
            assertTrue(s.getTcpNoDelay());
        }
    }
}
