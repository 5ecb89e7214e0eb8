package org.vitalvault.deploy.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import java.sql.SQLException;
import org.vitalvault.deploy.db.LocalPostgres;

/**
 * One PostgreSQL with the {@code device} table for all broker tests of this JVM: starting one per
 * test class would add seconds per class for nothing. A shutdown hook stops it and deletes its
 * directory at JVM exit.
 */
final class TestPostgres {

    private static LocalPostgres postgres;
    private static TestDevices devices;

    private TestPostgres() {
    }

    static synchronized LocalPostgres postgres() {
        start();
        return postgres;
    }

    static synchronized TestDevices devices() {
        start();
        return devices;
    }

    private static void start() {
        if (postgres != null) {
            return;
        }
        try {
            Path dataDir = Files.createTempDirectory("broker-test-pg").resolve("pg");
            postgres = LocalPostgres.start(dataDir, 0);
            devices = TestDevices.createTable(postgres);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stopAndDelete(dataDir.getParent())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the device table", e);
        }
    }

    private static void stopAndDelete(Path directory) {
        postgres.close();
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A leftover temporary directory is harmless.
        }
    }
}
