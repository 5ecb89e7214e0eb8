package org.vitalvault.vault.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real PostgreSQL (embedded binaries, no Docker) plus fresh JWT signing keys, a master key file
 * and a vault signing key file for one test boot of the vault.
 */
public class VaultTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String ISSUER = "https://vitalvault.test/issuer";
    /** The audience the vault requires in every token (its default, decision 035). */
    public static final String AUDIENCE = "vitalvault";
    /** The most readings one raw read may return in tests. */
    public static final int MAX_RAW_POINTS = 5000;
    private static Path keyDir;
    private EmbeddedPostgres postgres;

    @Override
    public Map<String, String> start() {
        try {
            // pg_stat_statements loaded (not created): a test may count the statements a code path runs.
            postgres = EmbeddedPostgres.builder().setServerConfig("shared_preload_libraries", "pg_stat_statements").start();
            keyDir = Files.createTempDirectory("vault-test-keys");
            KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
            rsa.initialize(2048);
            KeyPair pair = rsa.generateKeyPair();
            Files.writeString(keyDir.resolve("jwt-private.pem"), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            Files.writeString(keyDir.resolve("jwt-public.pem"), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
            return Map.ofEntries(
                    Map.entry("quarkus.datasource.jdbc.url", postgres.getJdbcUrl("postgres", "postgres")),
                    Map.entry("quarkus.datasource.username", "postgres"),
                    Map.entry("quarkus.datasource.password", ""),
                    Map.entry("vitalvault.jwt.issuer", ISSUER),
                    Map.entry("vitalvault.jwt.audience", AUDIENCE),
                    Map.entry("vitalvault.jwt.public-key-file", keyDir.resolve("jwt-public.pem").toString()),
                    Map.entry("smallrye.jwt.sign.key.location", keyDir.resolve("jwt-private.pem").toUri().toString()),
                    Map.entry("vitalvault.kek.file", keyDir.resolve("master.key").toString()),
                    Map.entry("vitalvault.kek.create-if-missing", "true"),
                    Map.entry("vitalvault.signing-key.file", keyDir.resolve("signing.key").toString()),
                    Map.entry("vitalvault.signing-key.create-if-missing", "true"),
                    // Small enough that a test can plant a raw read over the bound (ReadingResourceTest).
                    Map.entry("vitalvault.reads.max-raw-points", String.valueOf(MAX_RAW_POINTS)),
                    // Tests run compaction themselves, at the moment they choose.
                    Map.entry("vitalvault.compaction.enabled", "false"),
                    // Likewise the device activity job (DeviceActivityJob.noticeRejections, prune): a run in
                    // the background could post a notice amid another test's table checksums.
                    Map.entry("vitalvault.devices.activity-job-interval", "PT24H"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The master key (KEK) file the vault created, for tests that check what it can unwrap. */
    public static Path masterKeyFile() {
        return keyDir.resolve("master.key");
    }

    /** The signing key, for tests that mint their own (expired, foreign) tokens. */
    public static Path privateKeyFile() {
        return keyDir.resolve("jwt-private.pem");
    }

    /** The verification key as PEM, for tests that try to abuse it. */
    public static String publicKeyPem() {
        try {
            return Files.readString(keyDir.resolve("jwt-public.pem"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        try {
            if (postgres != null) {
                postgres.close();   // zonky deletes its own data directory on close
            }
            if (keyDir != null) {
                try (Stream<Path> files = Files.walk(keyDir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
