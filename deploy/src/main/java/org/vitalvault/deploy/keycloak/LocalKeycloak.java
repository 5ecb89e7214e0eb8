package org.vitalvault.deploy.keycloak;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A real Keycloak on this machine (decision 035): the {@code keycloak-quarkus-dist} zip from Maven
 * Central, run with {@code kc.sh start-dev} on 127.0.0.1 with the {@code vitalvault} realm imported
 * from {@code keycloak/vitalvault-realm.json} (users owner, researcher, operator, caregiver; the
 * vault's audience mapper). Keycloak 26 needs JDK 21 or newer, found beside the JDK 17 that runs
 * the vault (see {@link #findJava()}). Used by {@code deploy/run-local.sh --keycloak} and by
 * KeycloakIT; development mode with its own H2 database under the Keycloak folder — never production.
 */
public final class LocalKeycloak implements AutoCloseable {

    public static final String VERSION = "26.7.3";
    public static final String REALM = "vitalvault";
    /** The public client people and tests get tokens from; its tokens carry the vault's audience. */
    public static final String CLIENT = "vitalvault-cli";
    /** Another application of the same realm: its tokens lack the vault's audience. */
    public static final String OTHER_CLIENT = "other-app";
    /** The env variable naming a JDK 21+ for Keycloak, when none is found under /usr/lib/jvm. */
    public static final String JAVA_HOME_ENV = "VITALVAULT_KEYCLOAK_JAVA_HOME";
    /** The local users of the imported realm and their passwords (local use only). */
    public static final Map<String, String> USERS = Map.of("owner", "owner", "researcher", "researcher",
            "operator", "operator", "caregiver", "caregiver", "clinician", "clinician");
    /** The public client of the owner app at /app/ (authorization code + PKCE only; decision 044). */
    public static final String APP_CLIENT = "vitalvault-app";

    private final Process process;
    private final int port;
    private final Path log;

    private LocalKeycloak(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts Keycloak from {@code home} (an unpacked distribution) on 127.0.0.1:{@code port} and
     * waits until the realm answers discovery. {@code freshRealm} drops the previous H2 database, so
     * the realm file is imported anew (tests); otherwise a realm from an earlier run is kept.
     */
    public static LocalKeycloak start(Path home, int port, boolean freshRealm, Path logFile, Duration timeout)
            throws IOException, InterruptedException {
        Path java = findJava();
        Path kc = home.resolve("bin/kc.sh");
        if (!Files.isRegularFile(kc)) {
            throw new IllegalStateException(kc + " is missing: unpack org.keycloak:keycloak-quarkus-dist:" + VERSION + ":zip");
        }
        if (freshRealm) {
            deleteTree(home.resolve("data/h2"));
        }
        Path imports = home.resolve("data/import");
        Files.createDirectories(imports);
        try (InputStream realm = LocalKeycloak.class.getResourceAsStream("/keycloak/vitalvault-realm.json")) {
            Files.copy(realm, imports.resolve("vitalvault-realm.json"), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.createDirectories(logFile.getParent());
        List<String> command = new ArrayList<>(List.of("bash", kc.toString(), "start-dev",
                "--http-host=127.0.0.1", "--http-port=" + port,
                // A fixed issuer, whatever host name a client uses to reach Keycloak.
                "--hostname=http://127.0.0.1:" + port,
                "--import-realm", "--cache=local"));
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        Map<String, String> env = builder.environment();
        env.put("JAVA_HOME", java.getParent().getParent().toString());
        // A bounded heap: the machine is shared, and Keycloak's default takes 70 % of its memory.
        env.put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m");
        // The master realm's admin, for the admin console at /admin (local only).
        env.putIfAbsent("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
        env.putIfAbsent("KC_BOOTSTRAP_ADMIN_PASSWORD", "admin");
        LocalKeycloak keycloak = new LocalKeycloak(builder.start(), port, logFile);
        // Never leave a Keycloak behind, even when the JVM ends (Ctrl-C) before close() is reached.
        Runtime.getRuntime().addShutdownHook(new Thread(keycloak::close, "keycloak-stop"));
        try {
            keycloak.awaitRealm(timeout);
        } catch (RuntimeException | InterruptedException e) {
            keycloak.close();
            throw e;
        }
        return keycloak;
    }

    /** The realm's issuer URL: what the vault takes as {@code quarkus.oidc.auth-server-url}. */
    public String issuer() {
        return "http://127.0.0.1:" + port + "/realms/" + REALM;
    }

    public String tokenEndpoint() {
        return issuer() + "/protocol/openid-connect/token";
    }

    public int port() {
        return port;
    }

    public Path log() {
        return log;
    }

    /**
     * How the vault verifies this Keycloak's tokens: discovery at the realm, its realm roles as the
     * vault's roles, the default audience {@code vitalvault} (which the realm's audience mapper adds
     * to {@value #CLIENT}'s tokens).
     */
    public Map<String, String> vaultProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("quarkus.oidc.auth-server-url", issuer());
        p.put("quarkus.oidc.roles.role-claim-path", "realm_access/roles");
        return p;
    }

    private void awaitRealm(Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI discovery = URI.create(issuer() + "/.well-known/openid-configuration");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak exited with code " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(discovery).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("Keycloak not ready after " + timeout + "; see " + log);
    }

    /**
     * The {@code java} of a JDK 21 or newer: {@value #JAVA_HOME_ENV} if set, else the running JDK
     * if new enough, else the newest under /usr/lib/jvm. Fails with what to do when there is none.
     */
    public static Path findJava() {
        String configured = System.getenv(JAVA_HOME_ENV);
        if (configured != null && !configured.isBlank()) {
            Path java = Path.of(configured, "bin", "java");
            if (!Files.isExecutable(java) || major(Path.of(configured)).orElse(0) < 21) {
                throw new IllegalStateException(JAVA_HOME_ENV + "=" + configured + " is not a JDK 21 or newer"
                        + " (Keycloak " + VERSION + " needs one)");
            }
            return java;
        }
        Path running = Path.of(System.getProperty("java.home"));
        if (Runtime.version().feature() >= 21) {
            return running.resolve("bin/java");
        }
        Path jvms = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(jvms)) {
            try (Stream<Path> homes = Files.list(jvms)) {
                Optional<Path> newest = homes.filter(h -> Files.isExecutable(h.resolve("bin/java")))
                        .filter(h -> major(h).orElse(0) >= 21)
                        .max(Comparator.comparingInt(h -> major(h).orElse(0)));
                if (newest.isPresent()) {
                    return newest.get().resolve("bin/java");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("Keycloak " + VERSION + " needs a JDK 21 or newer, and none was found: install"
                + " one (e.g. apt-get install temurin-25-jdk or openjdk-21-jdk-headless) under /usr/lib/jvm, or set "
                + JAVA_HOME_ENV + " to its home");
    }

    /** The feature version from a JDK's {@code release} file. */
    private static Optional<Integer> major(Path home) {
        try {
            Matcher m = Pattern.compile("JAVA_VERSION=\"(\\d+)").matcher(Files.readString(home.resolve("release")));
            return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Unpacks the distribution zip into {@code dir} unless it is there already; returns its home
     * ({@code dir/keycloak-<version>}).
     */
    public static Path unpack(Path zip, Path dir) throws IOException {
        Path home = dir.resolve("keycloak-" + VERSION);
        if (Files.isRegularFile(home.resolve("bin/kc.sh")) && Files.isRegularFile(home.resolve(".unpacked"))) {
            return home;
        }
        Path target = dir.toAbsolutePath().normalize();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                Path out = target.resolve(e.getName()).normalize();
                if (!out.startsWith(target)) {
                    throw new IOException("zip entry outside the target folder: " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Files.writeString(home.resolve(".unpacked"), VERSION + "\n");
        return home;
    }

    /** Where Maven keeps the distribution zip ({@code mvn dependency:get} or the IT's unpack put it there). */
    public static Path zipInLocalRepository() {
        String repo = System.getProperty("maven.repo.local",
                Path.of(System.getProperty("user.home"), ".m2", "repository").toString());
        return Path.of(repo, "org", "keycloak", "keycloak-quarkus-dist", VERSION,
                "keycloak-quarkus-dist-" + VERSION + ".zip");
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        // kc.sh execs java; end its process tree too (the JVM is its child when exec is not used).
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                children.forEach(ProcessHandle::destroyForcibly);
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            children.forEach(ProcessHandle::destroyForcibly);
            Thread.currentThread().interrupt();
        }
    }
}
