package org.vitalvault.deploy.db;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * Which PostgreSQL major version made a data directory, and whether the embedded binaries may open
 * it. PostgreSQL writes its major version into {@code PG_VERSION} at {@code initdb} and refuses to
 * open a directory of another major; it does so with a log line in {@code postgres.log} after the
 * launcher waited for it. This check says it first, in the launcher's own words, with the way out.
 */
public final class PostgresDataVersion {

    private static final String BINARIES_RESOURCE = "postgres-binaries.properties";

    private PostgresDataVersion() {
    }

    /**
     * The major version recorded in {@code dataDir/PG_VERSION} ("17"; "9.6" before PostgreSQL 10),
     * or empty when the directory holds no cluster yet.
     */
    public static Optional<String> recordedMajor(Path dataDir) {
        Path file = dataDir.resolve("PG_VERSION");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            String major = Files.readString(file, StandardCharsets.US_ASCII).strip();
            if (!major.matches("\\d+(\\.\\d+)?")) {
                throw new IllegalStateException(file + " does not hold a PostgreSQL major version; is " + dataDir
                        + " a PostgreSQL data directory?");
            }
            return Optional.of(major);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The major version of the embedded binaries this launcher was built with ("17" for 17.6.0). */
    public static String binariesMajor() {
        try (InputStream in = PostgresDataVersion.class.getResourceAsStream(BINARIES_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(BINARIES_RESOURCE + " is missing from the launcher's classpath");
            }
            Properties p = new Properties();
            p.load(in);
            return majorOf(p.getProperty("version", ""));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + BINARIES_RESOURCE, e);
        }
    }

    /** "17" for "17.6.0"; "9.6" for "9.6.24" (before PostgreSQL 10 the major had two parts). */
    static String majorOf(String version) {
        if (!version.matches("\\d+(\\.\\d+)*")) {
            throw new IllegalArgumentException("not a PostgreSQL version: '" + version + "'");
        }
        String[] parts = version.split("\\.");
        return Integer.parseInt(parts[0]) >= 10 || parts.length == 1 ? parts[0] : parts[0] + "." + parts[1];
    }

    /**
     * Refuses, before starting anything, a data directory that another PostgreSQL major made.
     *
     * @param dataDir       the cluster directory (may not exist yet: then there is nothing to check)
     * @param binariesMajor the major version of the binaries about to start
     * @throws IncompatibleDataDirectoryException naming both versions and the way out
     */
    public static void requireCompatible(Path dataDir, String binariesMajor) {
        Optional<String> recorded = recordedMajor(dataDir);
        if (recorded.isEmpty() || recorded.get().equals(binariesMajor)) {
            return;
        }
        String made = recorded.get();
        String data = dataDir.toAbsolutePath().normalize().toString();
        if (olderThan(made, binariesMajor)) {
            throw new IncompatibleDataDirectoryException("""
                    %s was made by PostgreSQL %s; this build runs PostgreSQL %s, which cannot open it \
                    (a new major needs a dump and restore or pg_upgrade). Nothing was started. Either:
                      - start over, losing the stored data: rm -rf %s (the database only; rm -rf data \
                    resets the whole local stack, keys included)
                      - or keep it: start this folder with the PostgreSQL %s binaries (a checkout that \
                    built with them, or -Dpostgres-binaries.version=%s.x), dump it with pg_dumpall of \
                    PostgreSQL %s, move the folder away, start this build on a fresh one and restore \
                    the dump with psql; keep the rest of the data folder (keys) as it is."""
                    .formatted(data, made, binariesMajor, data, made, made, made));
        }
        throw new IncompatibleDataDirectoryException("""
                %s was made by PostgreSQL %s, newer than this build's PostgreSQL %s, which cannot open \
                it. Nothing was started. Run the build that made it (a newer checkout), or start over \
                with rm -rf %s (losing the local data)."""
                .formatted(data, made, binariesMajor, data));
    }

    private static boolean olderThan(String a, String b) {
        return Double.parseDouble(a) < Double.parseDouble(b);
    }
}
