package org.vitalvault.mqtt;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * TLS sockets for the project's Paho clients: TCP_NODELAY on (as {@link NoDelaySocketFactory}, for
 * the same reason: small PUBACKs must not wait for the delayed-ACK timer), and the server's
 * certificate checked against the host name connected to (endpoint identification "HTTPS":
 * subject alternative names, RFC 2818/6125), so a certificate for another host is refused even when
 * a trusted CA signed it.
 *
 * <p>Paho 1.2.5 refuses a plain {@code SocketFactory} for {@code ssl://} URLs, which is why the
 * gateway needs this one. Paho replaces the socket's SSL parameters before its handshake and sets
 * endpoint identification again only when {@code httpsHostnameVerificationEnabled} is on: the
 * callers (see {@link MqttSockets#forUrl}) turn it on explicitly. No read-ahead buffer here: an
 * SSL socket already reads whole TLS records and answers Paho's one-byte reads from them.
 */
public final class NoDelayTlsSocketFactory extends SSLSocketFactory {

    private final SSLSocketFactory delegate;

    public NoDelayTlsSocketFactory(SSLContext context) {
        this.delegate = context.getSocketFactory();
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return delegate.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return delegate.getSupportedCipherSuites();
    }

    @Override
    public Socket createSocket() throws IOException {
        return tuned(delegate.createSocket());
    }

    @Override
    public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
        s.setTcpNoDelay(true);
        return tuned(delegate.createSocket(s, host, port, autoClose));
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return tuned(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return tuned(delegate.createSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return tuned(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return tuned(delegate.createSocket(address, port, localAddress, localPort));
    }

    private static Socket tuned(Socket s) throws IOException {
        s.setTcpNoDelay(true);
        if (s instanceof SSLSocket ssl) {
            SSLParameters p = ssl.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            ssl.setSSLParameters(p);
        }
        return s;
    }
}
