package org.vitalvault.deploy.stack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One Quarkus service run as a child process from its {@code quarkus-app} folder, as it would run
 * in production: configuration by system properties, output to a log file, readiness by its
 * {@code /q/health/ready} on the service's management port. Stopping sends SIGTERM so the service shuts down gracefully; a process
 * that does not end in time is killed.
 *
 * <p>Secrets (passwords) never go on the command line, which every local user can read ({@code ps},
 * {@code /proc/<pid>/cmdline}): they are passed as environment variables in Quarkus' naming
 * ({@code quarkus.datasource.password} → {@code QUARKUS_DATASOURCE_PASSWORD}), which only the same
 * user (and root) can read ({@code /proc/<pid>/environ} is mode 0400). A plain property whose name
 * says password is refused, so a new secret cannot slip onto the command line by mistake.
 */
public final class ServiceProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;

    private ServiceProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** {@link #start(String, Path, Map, Map, Path)} without secrets. */
    public static ServiceProcess start(String name, Path quarkusRunJar, Map<String, String> properties, Path logFile)
            throws IOException {
        return start(name, quarkusRunJar, properties, Map.of(), logFile);
    }

    /**
     * @param properties configuration passed as {@code -D} flags: visible to every local user
     * @param secrets    configuration passed in the environment ({@link #environmentName}), never as flags
     * @throws IllegalArgumentException if a plain property's name contains "password"
     */
    public static ServiceProcess start(String name, Path quarkusRunJar, Map<String, String> properties,
                                       Map<String, String> secrets, Path logFile) throws IOException {
        for (String key : properties.keySet()) {
            if (key.toLowerCase(Locale.ROOT).contains("password")) {
                throw new IllegalArgumentException(key + " would be visible on the command line: pass it as a secret");
            }
        }
        if (!Files.isRegularFile(quarkusRunJar)) {
            throw new IllegalStateException(quarkusRunJar + " is missing: build first (mvn -DskipTests package)");
        }
        Files.createDirectories(logFile.getParent());
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Benchmarks at 10,000 owners give the services more (query.sh --service-heap).
        command.add("-Xmx" + System.getProperty("vitalvault.stack.service-heap", "512m"));
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-jar");
        command.add(quarkusRunJar.toString());
        ProcessBuilder builder = new ProcessBuilder(command);
        secrets.forEach((k, v) -> builder.environment().put(environmentName(k), v));
        Process p = builder
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        return new ServiceProcess(name, p, logFile);
    }

    /**
     * The environment variable Quarkus reads a property from: every character that is neither a
     * letter, a digit nor {@code _} becomes {@code _}, the rest upper case
     * ({@code vitalvault.broker.admin-password} → {@code VITALVAULT_BROKER_ADMIN_PASSWORD}).
     */
    public static String environmentName(String property) {
        StringBuilder env = new StringBuilder(property.length());
        for (char ch : property.toCharArray()) {
            env.append((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_'
                    ? Character.toUpperCase(ch) : '_');
        }
        return env.toString();
    }

    /** Waits until the health endpoint reports ready, the process dies, or the timeout passes. */
    public void awaitReady(String healthUrl, Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(healthUrl))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(name + " not ready after " + timeout + "; see " + log);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** Kills the process without letting it shut down: a crash, for fault tests. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    public Path log() {
        return log;
    }

    public String name() {
        return name;
    }
}
