package org.vitalvault.deploy.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.nio.file.Path;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import org.vitalvault.mqtt.TlsFiles;

/**
 * The local stack's HTTPS port: TLS with the local CA's server certificate on all interfaces,
 * forwarded byte for byte to the vault's plaintext port on 127.0.0.1.
 *
 * <p>Why not Quarkus' own HTTPS port: Quarkus has one {@code quarkus.http.host} for HTTP and HTTPS,
 * and the local stack wants HTTPS on every interface while plaintext HTTP (the README's curl tour)
 * stays on loopback (docs/decisions/034). A deployment sets {@code quarkus.http.ssl.certificate.*}
 * and {@code quarkus.http.insecure-requests=disabled} on the vault itself, or terminates TLS at its
 * ingress.
 */
public final class HttpsFrontDoor implements AutoCloseable {

    private final SSLServerSocket listener;
    private final InetSocketAddress target;
    private final Thread acceptor;

    private HttpsFrontDoor(SSLServerSocket listener, InetSocketAddress target) {
        this.listener = listener;
        this.target = target;
        this.acceptor = new Thread(this::acceptLoop, "https-front-door");
        acceptor.setDaemon(true);
    }

    /**
     * Listens on {@code bindAddress:port} (0 = a free port) and forwards to 127.0.0.1:{@code targetPort}.
     */
    public static HttpsFrontDoor start(String bindAddress, int port, Path certFile, Path keyFile, int targetPort)
            throws IOException {
        try {
            char[] pw = new char[0];
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("server", TlsFiles.privateKey(keyFile, "HTTPS key"), pw,
                    TlsFiles.certificates(certFile, "HTTPS certificate").toArray(new Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, pw);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            SSLServerSocket socket = (SSLServerSocket) context.getServerSocketFactory()
                    .createServerSocket(port, 100, InetAddress.getByName(bindAddress));
            socket.setEnabledProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
            HttpsFrontDoor door = new HttpsFrontDoor(socket, new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort));
            door.acceptor.start();
            return door;
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("cannot set up HTTPS: " + e.getMessage(), e);
        }
    }

    public int port() {
        return listener.getLocalPort();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Thread t = new Thread(() -> serve(client), "https-connection");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (listener.isClosed()) {
                    return;
                }
            }
        }
    }

    private void serve(Socket client) {
        try (client; Socket backend = new Socket()) {
            client.setTcpNoDelay(true);
            backend.setTcpNoDelay(true);
            backend.connect(target, 5_000);
            Thread upstream = new Thread(() -> pump(client, backend), "https-upstream");
            upstream.setDaemon(true);
            upstream.start();
            pump(backend, client);
            upstream.join(1_000);
        } catch (IOException e) {
            // a failed handshake or a closed connection: nothing to report
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side closed
        } finally {
            try {
                to.shutdownOutput();
            } catch (IOException | UnsupportedOperationException e) {
                closeQuietly(to);
            }
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
