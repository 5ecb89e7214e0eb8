package org.vitalvault.deploy.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import org.vitalvault.deploy.TestFolders;
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

    static synchronized TestDevices devices() {
        if (devices == null) {
            start();
        }
        return devices;
    }

    private static void start() {
        try {
            // Under target/ so that even a leftover is removed by "mvn clean".
            Path target = Files.createDirectories(Path.of("target"));
            Path home = Files.createTempDirectory(target, "broker-test-pg");
            postgres = LocalPostgres.start(home.resolve("pg"), 0);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stopAndDelete(home)));
            devices = TestDevices.createTable(postgres);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the device table", e);
        }
    }

    private static void stopAndDelete(Path directory) {
        postgres.close();
        // zonky's own shutdown hook may still be stopping the server, which writes a last file:
        // TestFolders retries.
        TestFolders.delete(directory);
    }
}
