package org.vitalvault.mqtt;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A throw-away CA for the TLS tests (ECDSA P-256). */
final class TestCa {

    record Issued(X509Certificate certificate, PrivateKey key) {
    }

    private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime());

    final X509Certificate certificate;
    final PrivateKey key;

    TestCa(String name) throws Exception {
        KeyPair pair = ec();
        X500Name dn = new X500Name("CN=" + name);
        X509v3CertificateBuilder b = builder(dn, dn, pair)
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
        this.certificate = sign(b, pair.getPrivate());
        this.key = pair.getPrivate();
    }

    /** A leaf with these DNS names / IP addresses as subject alternative names (none: a client certificate). */
    Issued issue(String cn, GeneralName... san) throws Exception {
        KeyPair pair = ec();
        X509v3CertificateBuilder b = builder(new X500Name(certificate.getSubjectX500Principal().getName()),
                new X500Name("CN=" + cn), pair)
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        if (san.length > 0) {
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(san));
        }
        return new Issued(sign(b, key), pair.getPrivate());
    }

    static GeneralName dns(String name) {
        return new GeneralName(GeneralName.dNSName, name);
    }

    static GeneralName ip(String address) {
        return new GeneralName(GeneralName.iPAddress, address);
    }

    /** A server context presenting {@code server}; when {@code clientCa} is given, client certificates from it are required. */
    static SSLContext serverContext(Issued server, TestCa clientCa) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("s", server.key(), new char[0], new Certificate[] {server.certificate()});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        TrustManagerFactory tmf = null;
        if (clientCa != null) {
            KeyStore ts = KeyStore.getInstance("PKCS12");
            ts.load(null, null);
            ts.setCertificateEntry("ca", clientCa.certificate);
            tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ts);
        }
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
        return c;
    }

    Path writeCertificate(Path dir, String name) throws IOException {
        return write(dir.resolve(name), pem("CERTIFICATE", encoded(certificate)));
    }

    static Path writeCertificate(Path file, X509Certificate c) throws IOException {
        return write(file, pem("CERTIFICATE", encoded(c)));
    }

    static Path writeKey(Path file, PrivateKey k) throws IOException {
        return write(file, pem("PRIVATE KEY", k.getEncoded()));
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static Path write(Path file, String text) throws IOException {
        Files.writeString(file, text);
        return file;
    }

    private static byte[] encoded(X509Certificate c) {
        try {
            return c.getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair pair) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(now.minusSeconds(3600)), Date.from(now.plusSeconds(86_400)), subject, pair.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey signer) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
    }

    private static KeyPair ec() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }
}
