package org.vitalvault.vault.broker;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A real Mosquitto 2 with the dynamic-security plugin in a temporary folder, for tests (callers
 * skip when {@link #installed()} is false). Its admin client is the one {@code mosquitto_ctrl dynsec
 * init} creates, allowed to use {@code $CONTROL/dynamic-security}.
 */
final class DynsecMosquitto implements AutoCloseable {

    static final String ADMIN = "admin";
    static final String ADMIN_PASSWORD = "admin-password";
    private static final String[] PLUGIN_PATHS = {
            "/usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so",
            "/usr/lib/aarch64-linux-gnu/mosquitto_dynamic_security.so",
            "/usr/lib/mosquitto_dynamic_security.so"};

    private final Path dir;
    private final int port;
    private int tlsPort = -1;
    private Process process;

    private DynsecMosquitto(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    static boolean installed() {
        return onPath("mosquitto") && onPath("mosquitto_ctrl") && plugin() != null;
    }

    static DynsecMosquitto start() throws IOException, InterruptedException {
        return start(null, null, null);
    }

    /**
     * With a TLS listener on 127.0.0.1 too (when {@code caPem} is given), presenting
     * {@code certPem}/{@code keyPem}.
     */
    static DynsecMosquitto start(Path caPem, Path certPem, Path keyPem) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("dynsec-mosquitto");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        int tlsPort = -1;
        String tls = "";
        if (caPem != null) {
            try (ServerSocket s = new ServerSocket(0)) {
                tlsPort = s.getLocalPort();
            }
            tls = String.join("\n", "listener " + tlsPort + " 127.0.0.1", "cafile " + caPem, "certfile " + certPem,
                    "keyfile " + keyPem, "");
        }
        run("mosquitto_ctrl", "dynsec", "init", dir.resolve("dynamic-security.json").toString(), ADMIN, ADMIN_PASSWORD);
        Files.writeString(dir.resolve("mosquitto.conf"), String.join("\n",
                "per_listener_settings false",
                "listener " + port + " 127.0.0.1",
                "allow_anonymous false",
                "plugin " + plugin(),
                "plugin_opt_config_file " + dir.resolve("dynamic-security.json"),
                "use_username_as_clientid true",
                "persistence false",
                "user " + System.getProperty("user.name"),
                "") + tls);
        DynsecMosquitto m = new DynsecMosquitto(dir, port);
        m.tlsPort = tlsPort;
        m.startProcess();
        return m;
    }

    /** Stops the broker (its users stay in dynamic-security.json). */
    void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            process.waitFor();
            process = null;
        }
    }

    /** Starts it again on the same port and users. */
    void startProcess() throws IOException, InterruptedException {
        process = new ProcessBuilder("mosquitto", "-c", dir.resolve("mosquitto.conf").toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("mosquitto.log").toFile()))
                .start();
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("mosquitto did not start: " + Files.readString(dir.resolve("mosquitto.log")));
    }

    String url() {
        return "tcp://127.0.0.1:" + port;
    }

    /** The TLS listener (a server certificate naming localhost), when started with one. */
    String tlsUrl() {
        return "ssl://localhost:" + tlsPort;
    }

    @Override
    public void close() throws Exception {
        stop();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    private static String plugin() {
        for (String p : PLUGIN_PATHS) {
            if (Files.exists(Path.of(p))) {
                return p;
            }
        }
        return null;
    }

    private static boolean onPath(String command) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, command))) {
                return true;
            }
        }
        return false;
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(command[0] + " failed: " + out);
        }
    }
}
