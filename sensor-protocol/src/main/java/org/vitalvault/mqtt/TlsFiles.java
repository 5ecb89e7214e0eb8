package org.vitalvault.mqtt;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Where a TLS client finds what it trusts and who it is, as PEM files (what Mosquitto, the local CA
 * and devices use; docs/decisions/034):
 *
 * <ul>
 *   <li>{@code trustFile}: one or more CA certificates; empty = the JDK's default trust store;</li>
 *   <li>{@code certFile} + {@code keyFile}: a client certificate (chain, leaf first) and its
 *       unencrypted PKCS#8 private key ({@code BEGIN PRIVATE KEY}), for brokers that require one
 *       (mutual TLS); both or neither.</li>
 * </ul>
 *
 * A missing, unreadable or malformed file is an {@link IllegalArgumentException} naming the
 * setting ({@code settingPrefix}) and the file, thrown when the context is built: at start-up,
 * never at the first connection. Key material is never part of a message.
 */
public record TlsFiles(String settingPrefix, Optional<Path> trustFile, Optional<Path> certFile, Optional<Path> keyFile) {

    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");

    public TlsFiles {
        Objects.requireNonNull(settingPrefix, "settingPrefix");
        Objects.requireNonNull(trustFile, "trustFile");
        Objects.requireNonNull(certFile, "certFile");
        Objects.requireNonNull(keyFile, "keyFile");
    }

    /** No files: the JDK's default trust, no client certificate. */
    public static TlsFiles none(String settingPrefix) {
        return new TlsFiles(settingPrefix, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** Whether anything is configured at all. */
    public boolean configured() {
        return trustFile.isPresent() || certFile.isPresent() || keyFile.isPresent();
    }

    /**
     * A TLS 1.2/1.3 client context from these files.
     *
     * @throws IllegalArgumentException naming the setting and the file when one is missing or unusable
     */
    public SSLContext clientContext() {
        if (certFile.isPresent() != keyFile.isPresent()) {
            throw new IllegalArgumentException(settingPrefix + ".cert-file and " + settingPrefix
                    + ".key-file go together (a client certificate needs its key); only "
                    + (certFile.isPresent() ? "cert-file" : "key-file") + " is set");
        }
        try {
            TrustManagerFactory tmf = null;
            if (trustFile.isPresent()) {
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trustStore(trustFile.get(), settingPrefix + ".trust-file"));
            }
            KeyManagerFactory kmf = null;
            if (certFile.isPresent()) {
                char[] password = new char[0];
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                List<X509Certificate> chain = certificates(certFile.get(), settingPrefix + ".cert-file");
                PrivateKey key = privateKey(keyFile.get(), settingPrefix + ".key-file");
                ks.setKeyEntry("client", key, password, chain.toArray(new Certificate[0]));
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, password);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(),
                    new SecureRandom());
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException(settingPrefix + ": cannot build a TLS context (" + e.getMessage() + ")", e);
        }
    }

    /** A key store holding every certificate of a PEM file as a trusted entry. */
    public static KeyStore trustStore(Path pemFile, String setting) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            int i = 0;
            for (X509Certificate c : certificates(pemFile, setting)) {
                ks.setCertificateEntry("ca-" + i++, c);
            }
            return ks;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException(setting + " " + pemFile + ": " + e.getMessage(), e);
        }
    }

    /** Every certificate in a PEM file, in order; at least one. */
    public static List<X509Certificate> certificates(Path pemFile, String setting) {
        String text = read(pemFile, setting);
        List<X509Certificate> result = new ArrayList<>();
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            Matcher m = PEM.matcher(text);
            while (m.find()) {
                if (m.group(1).equals("CERTIFICATE")) {
                    result.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(der(m.group(2)))));
                }
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException(setting + " " + pemFile + ": not a readable PEM certificate ("
                    + e.getMessage() + ")", e);
        }
        if (result.isEmpty()) {
            throw new IllegalArgumentException(setting + " " + pemFile + ": no PEM certificate (BEGIN CERTIFICATE) in it");
        }
        return result;
    }

    /** The unencrypted PKCS#8 private key (RSA or EC) of a PEM file. */
    public static PrivateKey privateKey(Path pemFile, String setting) {
        String text = read(pemFile, setting);
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            String type = m.group(1);
            if (type.equals("PRIVATE KEY")) {
                byte[] der = der(m.group(2));
                for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448")) {
                    try {
                        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
                    } catch (GeneralSecurityException e) {
                        // try the next algorithm
                    }
                }
                throw new IllegalArgumentException(setting + " " + pemFile + ": a PKCS#8 key of no supported algorithm"
                        + " (RSA, EC, Ed25519, Ed448)");
            }
            if (type.equals("RSA PRIVATE KEY") || type.equals("EC PRIVATE KEY") || type.equals("ENCRYPTED PRIVATE KEY")) {
                throw new IllegalArgumentException(setting + " " + pemFile + ": the key is " + type
                        + "; give an unencrypted PKCS#8 key (BEGIN PRIVATE KEY), e.g. made with"
                        + " openssl pkcs8 -topk8 -nocrypt");
            }
        }
        throw new IllegalArgumentException(setting + " " + pemFile + ": no PEM private key (BEGIN PRIVATE KEY) in it");
    }

    private static String read(Path file, String setting) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(setting + " " + file + ": no such file", e);
        } catch (IOException e) {
            throw new IllegalArgumentException(setting + " " + file + ": cannot read it (" + e + ")", e);
        }
    }

    private static byte[] der(String base64) {
        return Base64.getMimeDecoder().decode(base64.replaceAll("\\s", ""));
    }
}
