package org.vitalvault.mqtt;

import java.util.Locale;
import javax.net.SocketFactory;

/**
 * The socket factory for an MQTT broker URL: {@code ssl://} selects TLS with the given files
 * ({@link NoDelayTlsSocketFactory}), {@code tcp://} plain sockets ({@link NoDelaySocketFactory}).
 * TLS files given for a {@code tcp://} URL are a configuration mistake (the operator believes the
 * link is protected) and refused, not ignored.
 *
 * <p>Paho callers must also call {@code MqttConnectionOptions.setHttpsHostnameVerificationEnabled(true)}:
 * Paho replaces the socket's SSL parameters before the handshake and checks the host name only with it.
 */
public final class MqttSockets {

    private MqttSockets() {
    }

    /** Whether the URL asks for TLS ({@code ssl://}). */
    public static boolean isTls(String url) {
        return url.toLowerCase(Locale.ROOT).startsWith("ssl://");
    }

    /**
     * @param readBuffer bytes a plain socket reads ahead (0 = none); TLS sockets read whole records anyway
     * @throws IllegalArgumentException for TLS files with a plaintext URL, or unusable files
     */
    public static SocketFactory forUrl(String url, TlsFiles tls, int readBuffer) {
        if (isTls(url)) {
            return new NoDelayTlsSocketFactory(tls.clientContext());
        }
        if (tls.configured()) {
            throw new IllegalArgumentException(tls.settingPrefix() + ".* is set but the broker URL " + url
                    + " is not ssl://: the connection would be plaintext");
        }
        return readBuffer > 0 ? NoDelaySocketFactory.withReadBuffer(readBuffer) : new NoDelaySocketFactory();
    }
}
