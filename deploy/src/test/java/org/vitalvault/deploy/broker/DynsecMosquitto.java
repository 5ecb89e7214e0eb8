package org.vitalvault.deploy.broker;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.vitalvault.deploy.tls.LocalTls;

/**
 * The real Mosquitto 2 with deploy/mosquitto's dynamic-security configuration, set up by
 * deploy/mosquitto/dynsec-setup.sh exactly as the README says (admin, the gateway's two users, the
 * vault's provisioning user), in a folder of the caller's, on a free loopback port, and its TLS
 * listener on another free port with certificates of a local CA made in {@code dir/tls}
 * ({@link LocalTls}). Tests skip where {@link #installed()} is false; CI installs it.
 */
public final class DynsecMosquitto implements AutoCloseable {

    public static final String GATEWAY = "vault-gateway-1";
    public static final String PROVISIONER = "vault-provisioner";
    /** The vault's audit checkpoint publisher and a read-only witness (issue 17). */
    public static final String AUDIT = "vitalvault-audit";
    public static final String WITNESS = "vitalvault-witness";
    private static final List<String> PLUGINS = List.of(
            "/usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so",
            "/usr/lib/aarch64-linux-gnu/mosquitto_dynamic_security.so",
            "/usr/lib/mosquitto_dynamic_security.so");

    private final Path repo;
    private final Path dir;
    private final int port;
    private int tlsPort;
    private LocalTls tls;
    private final Map<String, String> passwords;
    private Process process;

    private DynsecMosquitto(Path repo, Path dir, int port) {
        this.repo = repo;
        this.dir = dir;
        this.port = port;
        this.passwords = Map.of(
                "DYNSEC_ADMIN_PASSWORD", "admin-" + UUID.randomUUID(),
                "GATEWAY_PASSWORD", "gateway-" + UUID.randomUUID(),
                "VAULT_PROVISIONER_PASSWORD", "provisioner-" + UUID.randomUUID(),
                "AUDIT_PASSWORD", "audit-" + UUID.randomUUID(),
                "WITNESS_PASSWORD", "witness-" + UUID.randomUUID());
    }

    /** Whether mosquitto, mosquitto_ctrl, mosquitto_rr and the plugin are here. */
    public static boolean installed() {
        return onPath("mosquitto") && onPath("mosquitto_ctrl") && onPath("mosquitto_rr") && plugin() != null;
    }

    /** Installs the configuration into {@code dir}, starts the broker and runs the setup script. */
    public static DynsecMosquitto start(Path repo, Path dir) throws IOException, InterruptedException {
        return start(repo, dir, false);
    }

    /**
     * As {@link #start(Path, Path)}, with the shipped TLS listener's {@code require_certificate} set
     * to {@code requireCertificate}.
     */
    public static DynsecMosquitto start(Path repo, Path dir, boolean requireCertificate)
            throws IOException, InterruptedException {
        int port = freePort();
        DynsecMosquitto m = new DynsecMosquitto(repo, dir, port);
        m.tlsPort = freePort();
        m.tls = LocalTls.ensure(dir.resolve("tls"));
        String shipped = Files.readString(repo.resolve("deploy/mosquitto/mosquitto.conf"));
        if (!shipped.contains("\nlistener 1883 127.0.0.1\n") || !shipped.contains("\nlistener 8883\n")
                || !shipped.contains("\nrequire_certificate false\n")) {
            throw new IllegalStateException("deploy/mosquitto/mosquitto.conf changed its listeners; update this helper");
        }
        String conf = shipped
                .replace("\nlistener 1883 127.0.0.1\n", "\nlistener " + port + " 127.0.0.1\n")
                .replace("\nlistener 8883\n", "\nlistener " + m.tlsPort + "\n")
                .replace("/etc/mosquitto/certs/vitalvault/", dir.resolve("tls") + "/")
                .replace("\nrequire_certificate false\n", "\nrequire_certificate " + requireCertificate + "\n")
                .replace("/usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so", plugin())
                .replace("/var/lib/mosquitto/", dir + "/")
                // As root Mosquitto would switch to the 'mosquitto' user, who cannot read this temp folder.
                + "\nuser " + System.getProperty("user.name") + "\n";
        Files.writeString(dir.resolve("mosquitto.conf"), conf);
        m.setup("init", dir.resolve("dynamic-security.json").toString());
        m.startProcess();
        m.setup("gateway", GATEWAY);
        m.setup("vault", PROVISIONER);
        m.setup("audit", AUDIT);
        m.setup("witness", WITNESS);
        return m;
    }

    /** Runs deploy/mosquitto/dynsec-setup.sh against this broker. */
    public void setup(String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = repo.resolve("deploy/mosquitto/dynsec-setup.sh").toString();
        System.arraycopy(args, 0, command, 1, args.length);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(passwords);
        pb.environment().put("MOSQ_HOST", "127.0.0.1");
        pb.environment().put("MOSQ_PORT", String.valueOf(port));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("dynsec-setup.sh " + String.join(" ", args) + " failed: " + out);
        }
    }

    private void startProcess() throws IOException, InterruptedException {
        process = new ProcessBuilder("mosquitto", "-c", dir.resolve("mosquitto.conf").toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile())).start();
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    break;
                }
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("mosquitto did not start: " + Files.readString(log()));
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    /** The TLS listener (all interfaces), as a client on this machine names it. */
    public String tlsUrl() {
        return "ssl://localhost:" + tlsPort;
    }

    /** The local CA whose server certificate the TLS listener presents and whose client certificates it accepts. */
    public LocalTls tls() {
        return tls;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    public String gatewayPassword() {
        return passwords.get("GATEWAY_PASSWORD");
    }

    public String auditPassword() {
        return passwords.get("AUDIT_PASSWORD");
    }

    public String witnessPassword() {
        return passwords.get("WITNESS_PASSWORD");
    }

    public String provisionerPassword() {
        return passwords.get("VAULT_PROVISIONER_PASSWORD");
    }

    /** Mosquitto's log (stderr): connections, refusals, denials. */
    public Path log() {
        return dir.resolve("mosquitto.log");
    }

    /** Times a client logged in as {@code user} (Mosquitto: "New client connected from … as ID (… u'USER')."). */
    public long connects(String user) throws IOException {
        String marker = "u'" + user + "')";
        return Files.readAllLines(log()).stream().filter(l -> l.contains("New client connected") && l.contains(marker))
                .count();
    }

    /** Times a client id was taken over by a newer connection with the same id. */
    public long takeovers(String clientId) throws IOException {
        return Files.readAllLines(log()).stream()
                .filter(l -> l.contains("Client " + clientId + " already connected")).count();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            process.destroy();
            process.waitFor();
            process = null;
        }
    }

    private static String plugin() {
        return PLUGINS.stream().filter(p -> Files.exists(Path.of(p))).findFirst().orElse(null);
    }

    private static boolean onPath(String command) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, command))) {
                return true;
            }
        }
        return false;
    }
}
