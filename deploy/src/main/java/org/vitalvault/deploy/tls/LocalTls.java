package org.vitalvault.deploy.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.vitalvault.mqtt.TlsFiles;

/**
 * The local stack's certificates in {@code data/tls/}, made on the first run and kept:
 * {@code ca.pem}/{@code ca.key} (a CA of this installation only) and {@code server.pem}/
 * {@code server.key} (signed by it; subject alternative names localhost, 127.0.0.1, ::1 and this
 * machine's host name), used by the broker's TLS listener and the vault's HTTPS port. Devices and
 * browsers trust {@code ca.pem}. Every file is mode 0600 (the keys must be; the certificates are
 * public but are copied out deliberately); no key is ever printed.
 */
public record LocalTls(Path dir, Path caPem, Path caKey, Path serverPem, Path serverKey) {

    private static final Duration CA_VALIDITY = Duration.ofDays(3650);
    private static final Duration SERVER_VALIDITY = Duration.ofDays(825);

    /** Loads the certificates under {@code tlsDir}, making whatever is missing. */
    public static LocalTls ensure(Path tlsDir) throws IOException {
        Files.createDirectories(tlsDir);
        LocalTls tls = new LocalTls(tlsDir, tlsDir.resolve("ca.pem"), tlsDir.resolve("ca.key"),
                tlsDir.resolve("server.pem"), tlsDir.resolve("server.key"));
        CertificateAuthority ca;
        if (Files.exists(tls.caPem) && Files.exists(tls.caKey)) {
            ca = tls.authority();
        } else {
            ca = CertificateAuthority.create("Vital Vault local CA (" + hostName() + ")", CA_VALIDITY);
            writePrivate(tls.caKey, CertificateAuthority.pem(ca.key()));
            writePrivate(tls.caPem, CertificateAuthority.pem(ca.certificate()));
            Files.deleteIfExists(tls.serverPem);   // a new CA invalidates the old server certificate
        }
        if (!Files.exists(tls.serverPem) || !Files.exists(tls.serverKey)) {
            CertificateAuthority.Issued server = ca.issueServer(serverNames(), SERVER_VALIDITY);
            writePrivate(tls.serverKey, CertificateAuthority.pem(server.key()));
            writePrivate(tls.serverPem, CertificateAuthority.pem(server.certificate()));
        }
        return tls;
    }

    /** {@code LocalTls DIR}: makes (or keeps) the CA and server certificate in DIR; prints the file names. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: LocalTls DIR");
            System.exit(2);
        }
        LocalTls tls = ensure(Path.of(args[0]));
        System.out.println("CA " + tls.caPem() + ", server certificate " + tls.serverPem() + " (keys beside them, 0600)");
    }

    /** The CA itself (to issue client certificates for mutual TLS). */
    public CertificateAuthority authority() {
        return new CertificateAuthority(TlsFiles.certificates(caPem, "local CA").get(0),
                TlsFiles.privateKey(caKey, "local CA key"));
    }

    /** localhost, 127.0.0.1, ::1 and the host name (when the machine knows it). */
    static List<String> serverNames() {
        List<String> names = new ArrayList<>(List.of("localhost", "127.0.0.1", "::1"));
        String host = hostName();
        if (!host.isBlank() && !names.contains(host)) {
            names.add(host);
        }
        return names;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "";
        }
    }

    /** Writes a file readable by this user only, atomically. */
    public static void writePrivate(Path file, String content) throws IOException {
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".tls", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, content, StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
