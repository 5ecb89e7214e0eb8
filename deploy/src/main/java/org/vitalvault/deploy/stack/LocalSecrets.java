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

/**
 * The secrets of a local stack, generated on its first run into the data folder (mode 0600) and
 * reused afterwards: the development token signing key pair and the gateway's broker password.
 * The master key is created by the vault itself, so it never passes through this process.
 */
public record LocalSecrets(Path jwtPrivateKey, Path jwtPublicKey, String gatewayPassword) {

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
        if (!Files.exists(gatewaySecret)) {
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            writeSecret(gatewaySecret, Base64.getUrlEncoder().withoutPadding().encodeToString(random));
        }
        return new LocalSecrets(privateKey, publicKey, Files.readString(gatewaySecret).trim());
    }

    @Override
    public String toString() {
        return "LocalSecrets[" + jwtPublicKey + ", gatewayPassword=<redacted>]";
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
