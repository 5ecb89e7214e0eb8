package org.vitalvault.deploy.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import org.vitalvault.deploy.db.DatabaseLogins;

/**
 * The secrets of a local stack, generated on its first run into the data folder (mode 0600) and
 * reused afterwards: the development token signing key pair, the broker passwords of the gateway,
 * the vault's audit publisher ({@code audit.secret}) and a witness ({@code witness.secret}), and the
 * passwords of the database logins ({@code db/<login>.password}, one per {@link DatabaseLogins}
 * login; a data folder from before they existed gets them on its next start). The master key is
 * created by the vault itself, so it never passes through this process.
 */
public record LocalSecrets(Path jwtPrivateKey, Path jwtPublicKey, String gatewayPassword,
                           Map<String, String> databasePasswords, String auditPassword, String witnessPassword) {

    public static LocalSecrets loadOrCreate(Path dataDir) throws IOException {
        Path jwt = dataDir.resolve("jwt");
        Files.createDirectories(jwt);
        Path privateKey = jwt.resolve("private.pem");
        Path publicKey = jwt.resolve("public.pem");
        if (!Files.exists(privateKey) || !Files.exists(publicKey)) {
            KeyPair pair = rsa();
            writeSecret(privateKey, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            Files.writeString(publicKey, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
        }
        Path gatewaySecret = dataDir.resolve("gateway.secret");
        Map<String, String> database = new TreeMap<>();
        Path db = dataDir.resolve("db");
        Files.createDirectories(db);
        Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rwx------"));
        for (String login : DatabaseLogins.LOGINS) {
            database.put(login, readOrCreate(db.resolve(login + ".password")));
        }
        // The vault's audit checkpoint publisher and a read-only witness login (issue 17).
        return new LocalSecrets(privateKey, publicKey, readOrCreate(gatewaySecret), Map.copyOf(database),
                readOrCreate(dataDir.resolve("audit.secret")), readOrCreate(dataDir.resolve("witness.secret")));
    }

    /** The password of database login {@code login}. */
    public String databasePassword(String login) {
        String password = databasePasswords.get(login);
        if (password == null) {
            throw new IllegalArgumentException("no database login " + login);
        }
        return password;
    }

    @Override
    public String toString() {
        return "LocalSecrets[" + jwtPublicKey + ", gatewayPassword=<redacted>, databasePasswords=<redacted>,"
                + " auditPassword=<redacted>, witnessPassword=<redacted>]";
    }

    /** A random password (192 bits, URL-safe Base64: no character SQL or a shell would need to quote). */
    private static String readOrCreate(Path file) throws IOException {
        if (!Files.exists(file)) {
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            writeSecret(file, Base64.getUrlEncoder().withoutPadding().encodeToString(random));
        }
        return Files.readString(file).trim();
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("RSA is missing from this JVM", e);
        }
    }

    private static void writeSecret(Path file, String content) throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), ".secret", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, content);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
