package org.vitalvault.deploy.broker;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.Objects;
import org.vitalvault.mqtt.TlsFiles;

/**
 * The embedded broker's MQTT-over-TLS listener (docs/decisions/034): the server certificate and key
 * as PEM, and which client certificates it asks for.
 *
 * @param port         TCP port (8883 in the local stack), or 0 for a free port chosen at start
 * @param bindAddress  where it listens: {@code 0.0.0.0} (all interfaces: devices on the network)
 * @param certFile     the server certificate (chain, leaf first), PEM
 * @param keyFile      its PKCS#8 private key, PEM
 * @param clientCaFile CA(s) whose client certificates are accepted (PEM); needed unless {@code NONE}
 * @param clientAuth   whether a device must present a client certificate signed by that CA
 */
public record BrokerTls(int port, String bindAddress, Path certFile, Path keyFile, Path clientCaFile,
                        ClientAuth clientAuth) {

    /** HiveMQ's client-authentication-mode. */
    public enum ClientAuth {
        /** No client certificate asked for: devices log in with user name and password only. */
        NONE,
        /** A certificate is asked for; one that is presented must be valid, none is also fine. */
        OPTIONAL,
        /** Mutual TLS: no valid client certificate, no connection (credentials are checked too). */
        REQUIRED
    }

    public BrokerTls {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(certFile, "certFile");
        Objects.requireNonNull(keyFile, "keyFile");
        Objects.requireNonNull(clientAuth, "clientAuth");
        if (clientAuth != ClientAuth.NONE && clientCaFile == null) {
            throw new IllegalArgumentException("client authentication " + clientAuth + " needs the clients' CA file");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("TLS port must be 0 (any free port) or 1..65535, was " + port);
        }
    }

    /** On all interfaces with this certificate, no client certificates. */
    public static BrokerTls onAllInterfaces(int port, Path certFile, Path keyFile) {
        return new BrokerTls(port, "0.0.0.0", certFile, keyFile, null, ClientAuth.NONE);
    }

    public BrokerTls withClientAuth(ClientAuth mode, Path caFile) {
        return new BrokerTls(port, bindAddress, certFile, keyFile, caFile, mode);
    }

    public BrokerTls withPort(int newPort) {
        return new BrokerTls(newPort, bindAddress, certFile, keyFile, clientCaFile, clientAuth);
    }

    /** The key stores HiveMQ reads (it takes JKS/PKCS#12 files, not PEM), written for this start. */
    record Stores(Path keystore, Path truststore, String password) {
        @Override
        public String toString() {
            return "Stores[" + keystore + "]";
        }
    }

    /**
     * Converts the PEM files into PKCS#12 files under {@code dir} (mode 0600) with a fresh random
     * password, which only HiveMQ's config file (also rewritten at every start) holds.
     */
    Stores writeStores(Path dir) throws IOException {
        Files.createDirectories(dir);
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        char[] pw = password.toCharArray();
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("server", TlsFiles.privateKey(keyFile, "broker TLS key-file"), pw,
                    TlsFiles.certificates(certFile, "broker TLS cert-file").toArray(new Certificate[0]));
            Path keystore = dir.resolve("server.p12");
            store(ks, keystore, pw);
            Path truststore = null;
            if (clientCaFile != null) {
                truststore = dir.resolve("clients.p12");
                store(TlsFiles.trustStore(clientCaFile, "broker TLS client-ca-file"), truststore, pw);
            }
            return new Stores(keystore, truststore, password);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot write the broker's TLS key store: " + e.getMessage(), e);
        }
    }

    private static void store(KeyStore ks, Path file, char[] pw) throws IOException, GeneralSecurityException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (OutputStream out = Files.newOutputStream(file)) {
            ks.store(out, pw);
        }
    }
}
