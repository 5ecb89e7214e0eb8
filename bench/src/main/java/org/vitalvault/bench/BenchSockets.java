package org.vitalvault.bench;

import java.nio.file.Path;
import java.util.Optional;
import javax.net.SocketFactory;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.vitalvault.mqtt.MqttSockets;
import org.vitalvault.mqtt.TlsFiles;

/**
 * The bench's MQTT sockets: plain with TCP_NODELAY for tcp:// URLs, TLS (host name verified) for
 * ssl:// URLs, trusting the CA given by {@code --tls-ca} (ingest.sh --tls makes one per run).
 */
final class BenchSockets {

    private static volatile TlsFiles tls = TlsFiles.none("--tls-ca");
    private static volatile SocketFactory tlsFactory;

    private BenchSockets() {
    }

    /** Trust this PEM CA for ssl:// URLs from now on. */
    static void trust(Path caPem) {
        tls = new TlsFiles("--tls-ca", Optional.of(caPem), Optional.empty(), Optional.empty());
        tlsFactory = null;
    }

    /** Sets the socket factory for {@code url} on {@code options}. */
    static void configure(MqttConnectionOptions options, String url) {
        if (MqttSockets.isTls(url)) {
            SocketFactory f = tlsFactory;
            if (f == null) {
                f = MqttSockets.forUrl(url, tls, 0);
                tlsFactory = f;
            }
            options.setSocketFactory(f);
            options.setHttpsHostnameVerificationEnabled(true);
        } else {
            options.setSocketFactory(MqttSockets.forUrl(url, TlsFiles.none("--tls-ca"), 0));
        }
    }
}
