package org.vitalvault.deploy.stack;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.vitalvault.deploy.broker.DatabaseBrokerCredentials;
import org.vitalvault.deploy.broker.DevicePublishQuota;
import org.vitalvault.deploy.broker.EmbeddedBroker;
import org.vitalvault.deploy.db.DatabaseLogins;
import org.vitalvault.deploy.broker.BrokerTls;
import org.vitalvault.deploy.db.LocalPostgres;
import org.vitalvault.deploy.tls.CertificateAuthority;
import org.vitalvault.deploy.tls.LocalTls;

/**
 * The whole stack on one machine: PostgreSQL and the MQTT broker embedded in this process (unless
 * external ones are given), vault-service and sensor-gateway as child processes. Closing it stops
 * everything in reverse order; the data folder keeps everything for the next start.
 *
 * <p>Database logins (docs/decisions/036): with the embedded PostgreSQL each part logs in as its
 * own least-privileged user ({@link DatabaseLogins}: Flyway as {@code migrator}, the vault as
 * {@code vault}, the gateway as {@code gateway}, the broker's device lookups as {@code broker}),
 * with the passwords in {@code data/db/}. With an external database ({@code dbUrl}) every part uses
 * the one login given. Passwords reach the services in their environment, never on the command line.
 */
public final class LocalStack implements AutoCloseable {

    /**
     * Where and how to run. Empty optionals mean "embedded". The management ports (health, metrics,
     * the gateway's /rejections; loopback only) are 0 for "any free port".
     */
    public record Options(Path repoDir, Path dataDir, Optional<String> dbUrl, String dbUser, String dbPassword,
                          Optional<String> mqttUrl, Optional<String> mqttUser, Optional<String> mqttPassword,
                          int postgresPort, int brokerPort, int vaultPort, int gatewayPort,
                          Map<String, String> gatewayProperties, Tls tls, int vaultManagementPort,
                          int gatewayManagementPort) {

        /** Without TLS and with free management ports (tests and benchmarks that do not ask for them). */
        public Options(Path repoDir, Path dataDir, Optional<String> dbUrl, String dbUser, String dbPassword,
                       Optional<String> mqttUrl, Optional<String> mqttUser, Optional<String> mqttPassword,
                       int postgresPort, int brokerPort, int vaultPort, int gatewayPort,
                       Map<String, String> gatewayProperties) {
            this(repoDir, dataDir, dbUrl, dbUser, dbPassword, mqttUrl, mqttUser, mqttPassword, postgresPort, brokerPort,
                    vaultPort, gatewayPort, gatewayProperties, Tls.OFF, 0, 0);
        }

        public static Options defaults(Path repoDir, Path dataDir) {
            return new Options(repoDir, dataDir, Optional.empty(), "postgres", "", Optional.empty(), Optional.empty(),
                    Optional.empty(), 15432, 1883, 8080, 8081, Map.of(), Tls.DEFAULT, 9000, 9001);
        }

        public Options withTls(Tls newTls) {
            return new Options(repoDir, dataDir, dbUrl, dbUser, dbPassword, mqttUrl, mqttUser, mqttPassword,
                    postgresPort, brokerPort, vaultPort, gatewayPort, gatewayProperties, newTls, vaultManagementPort,
                    gatewayManagementPort);
        }

        @Override
        public String toString() {
            return "Options[" + dataDir + "]";
        }
    }

    /**
     * TLS of the local stack (docs/decisions/034), with certificates from the local CA in
     * {@code data/tls/} ({@link LocalTls}, made on the first run).
     *
     * @param mqttPort       the embedded broker's TLS listener on all interfaces; -1 = none, 0 = a free port
     * @param httpsPort      the vault's HTTPS port on all interfaces ({@link HttpsFrontDoor}); -1 = none, 0 = free
     * @param clientAuth     whether devices must present a client certificate from the local CA
     * @param plaintextMqtt  whether the broker also listens in plaintext on 127.0.0.1 ({@code brokerPort})
     * @param gatewayOverTls whether the gateway connects over TLS too (else over loopback plaintext)
     */
    public record Tls(int mqttPort, int httpsPort, BrokerTls.ClientAuth clientAuth, boolean plaintextMqtt,
                      boolean gatewayOverTls) {
        /** No TLS at all: what tests and benchmarks had before. */
        public static final Tls OFF = new Tls(-1, -1, BrokerTls.ClientAuth.NONE, true, false);
        /** The local stack's default: MQTT 8883 and HTTPS 8443 on all interfaces, plaintext on loopback. */
        public static final Tls DEFAULT = new Tls(8883, 8443, BrokerTls.ClientAuth.NONE, true, false);

        public boolean enabled() {
            return mqttPort >= 0 || httpsPort >= 0;
        }
    }

    private static final String GATEWAY_MQTT_USER = "vault-gateway";
    /** The vault's audit checkpoint publisher on the embedded broker (vitalvault.audit.mqtt-username's default). */
    public static final String AUDIT_MQTT_USER = "vitalvault-audit";
    /** A read-only witness login on the embedded broker, for mosquitto_sub and tests. */
    public static final String WITNESS_MQTT_USER = "vitalvault-witness";
    /** Where, in the data folder, the vault writes each new audit checkpoint (the file witness). */
    public static final String CHECKPOINT_FILE = "audit-checkpoint.txt";

    private final Options options;
    private LocalPostgres postgres;
    private EmbeddedBroker broker;
    private ServiceProcess vault;
    private ServiceProcess gateway;
    private String jdbcUrl;
    private int postgresPort;
    /** Who logs in as whom; with an external database all four are the one login given. */
    private Login vaultLogin;
    private Login gatewayLogin;
    private Login brokerLogin;
    private Login migratorLogin;
    private String mqttUrl;
    private LocalSecrets secrets;
    private LocalTls localTls;
    private HttpsFrontDoor https;
    /** The broker's TLS port as chosen before the vault starts (it tells devices the URL), or -1. */
    private int mqttTlsPort = -1;
    /** The embedded broker's plaintext port as chosen before the vault starts (it publishes checkpoints there). */
    private int brokerPort;
    private int vaultManagementPort;
    private int gatewayManagementPort;

    private LocalStack(Options options) {
        this.options = options;
    }

    /** Starts every part and returns once both services report ready. */
    public static LocalStack start(Options options) throws IOException, InterruptedException {
        LocalStack stack = new LocalStack(options);
        try {
            stack.startAll();
            return stack;
        } catch (IOException | InterruptedException | RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    private void startAll() throws IOException, InterruptedException {
        Path data = options.dataDir();
        secrets = LocalSecrets.loadOrCreate(data);
        if (options.tls().enabled()) {
            localTls = LocalTls.ensure(data.resolve("tls"));
        }
        if (options.mqttUrl().isEmpty() && options.tls().mqttPort() >= 0) {
            mqttTlsPort = options.tls().mqttPort() == 0 ? freePort() : options.tls().mqttPort();
        }
        // Chosen now: the vault, which starts before the broker, is told where to publish checkpoints.
        brokerPort = options.mqttUrl().isEmpty() && options.tls().plaintextMqtt() ? portOrFree(options.brokerPort())
                : options.brokerPort();
        vaultManagementPort = portOrFree(options.vaultManagementPort());
        gatewayManagementPort = portOrFree(options.gatewayManagementPort());
        if (options.dbUrl().isPresent()) {
            jdbcUrl = options.dbUrl().get();
        } else {
            postgres = LocalPostgres.start(data.resolve("postgres"), options.postgresPort());
            jdbcUrl = postgres.jdbcUrl();
        }
        if (postgres != null) {
            postgres.requirePasswords();
            try {
                DatabaseLogins.ensure(jdbcUrl, postgres.user(), postgres.password(),
                        options.repoDir().resolve("deploy/db/roles.sql"), secrets.databasePasswords());
            } catch (SQLException e) {
                throw new IllegalStateException("cannot create the database logins (SQLState " + e.getSQLState() + ")", e);
            }
            vaultLogin = login(DatabaseLogins.VAULT);
            gatewayLogin = login(DatabaseLogins.GATEWAY);
            brokerLogin = login(DatabaseLogins.BROKER);
            migratorLogin = login(DatabaseLogins.MIGRATOR);
        } else {
            Login given = new Login(options.dbUser(), options.dbPassword());
            vaultLogin = given;
            gatewayLogin = given;
            brokerLogin = given;
            migratorLogin = given;
        }

        // The vault first: it owns the schema (Flyway) that the broker's device lookups read.
        Map<String, String> vaultSecrets = new LinkedHashMap<>();
        vault = ServiceProcess.start("vault-service", jar("vault-service", "quarkus-app-local"),
                vaultProperties(vaultSecrets), vaultSecrets, data.resolve("logs/vault-service.log"));
        vault.awaitReady(vaultManagementUrl() + "/q/health/ready", Duration.ofSeconds(120));
        if (options.tls().httpsPort() >= 0) {
            https = HttpsFrontDoor.start("0.0.0.0", options.tls().httpsPort(), localTls.serverPem(),
                    localTls.serverKey(), options.vaultPort());
        }

        if (options.mqttUrl().isPresent()) {
            mqttUrl = options.mqttUrl().get();
        } else {
            broker = startBroker(brokerPort, mqttTlsPort);
            mqttUrl = broker.port() >= 0 && !options.tls().gatewayOverTls() ? "tcp://127.0.0.1:" + broker.port()
                    : mqttTlsUrl();
        }
        gateway = startGateway();
    }

    private EmbeddedBroker startBroker(int plainPort, int tlsPort) {
        Tls t = options.tls();
        BrokerTls brokerTls = null;
        if (tlsPort >= 0) {
            brokerTls = BrokerTls.onAllInterfaces(tlsPort, localTls.serverPem(), localTls.serverKey())
                    .withClientAuth(t.clientAuth(), localTls.caPem());
        }
        return EmbeddedBroker.start(options.dataDir().resolve("broker"), t.plaintextMqtt() ? plainPort : -1, brokerTls,
                brokerCredentials(), devicePublishQuota());
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The embedded broker's TLS listener as devices on this machine reach it, or null without one. */
    public String mqttTlsUrl() {
        return broker == null || broker.tlsPort() < 0 ? null : "ssl://localhost:" + broker.tlsPort();
    }

    /** The vault's HTTPS address (local CA), or null without one. */
    public String vaultHttpsUrl() {
        return https == null ? null : "https://localhost:" + https.port();
    }

    /** The local CA and server certificates, or empty when the stack runs without TLS. */
    public Optional<LocalTls> localTls() {
        return Optional.ofNullable(localTls);
    }

    private ServiceProcess startGateway() throws IOException, InterruptedException {
        return startGateway(null, options.gatewayPort(), gatewayManagementPort, "sensor-gateway");
    }

    /**
     * Starts one more gateway in the same shared-subscription group (its own client id, HTTP port,
     * a free management port and log), as a second replica would run.
     */
    public ServiceProcess startExtraGateway(String clientId, int httpPort) throws IOException, InterruptedException {
        return startExtraGateway(clientId, httpPort, portOrFree(0));
    }

    /** {@link #startExtraGateway(String, int)} with its management port (health, metrics, /rejections) given. */
    public ServiceProcess startExtraGateway(String clientId, int httpPort, int managementPort)
            throws IOException, InterruptedException {
        return startGateway(clientId, httpPort, managementPort, "sensor-gateway-" + clientId);
    }

    private ServiceProcess startGateway(String clientId, int httpPort, int managementPort, String name)
            throws IOException, InterruptedException {
        Map<String, String> secret = new LinkedHashMap<>();
        Map<String, String> p = commonProperties(httpPort, managementPort, gatewayLogin, secret);
        p.put("vitalvault.gateway.mqtt.url", mqttUrl);
        if (mqttUrl.startsWith("ssl://") && localTls != null) {
            p.put("vitalvault.gateway.mqtt.tls.trust-file", localTls.caPem().toAbsolutePath().toString());
            if (options.tls().clientAuth() == BrokerTls.ClientAuth.REQUIRED) {
                gatewayClientCertificate(p);
            }
        }
        if (options.mqttUrl().isEmpty()) {
            p.put("vitalvault.gateway.mqtt.username", GATEWAY_MQTT_USER);
            secret.put("vitalvault.gateway.mqtt.password", secrets.gatewayPassword());
            // The embedded broker knows one gateway user; its replicas' connections differ by client id.
            p.put("vitalvault.gateway.mqtt.receipts-username", GATEWAY_MQTT_USER);
        } else {
            options.mqttUser().ifPresent(u -> p.put("vitalvault.gateway.mqtt.username", u));
            options.mqttPassword().ifPresent(pw -> secret.put("vitalvault.gateway.mqtt.password", pw));
        }
        options.gatewayProperties().forEach((k, v) -> (isSecret(k) ? secret : p).put(k, v));
        if (clientId != null) {
            p.put("vitalvault.gateway.mqtt.client-id", clientId);
        }
        ServiceProcess process = ServiceProcess.start(name, jar("sensor-gateway", "quarkus-app"), p, secret,
                options.dataDir().resolve("logs/" + name + ".log"));
        process.awaitReady(managementUrl(managementPort) + "/q/health/ready", Duration.ofSeconds(120));
        return process;
    }

    /**
     * Starts one more vault replica beside the stack's, as a second replica behind a load balancer
     * would run: the same database, master key, signing key, JWT keys and settings (replicas share
     * them; docs/decisions/042), its own HTTP port, management port and log. It compacts and drains
     * the broker outbox like any replica.
     */
    public ServiceProcess startExtraVault(String name, int httpPort, int managementPort)
            throws IOException, InterruptedException {
        Map<String, String> secret = new LinkedHashMap<>();
        Map<String, String> p = vaultProperties(secret);
        p.put("quarkus.http.port", String.valueOf(httpPort));
        p.put("quarkus.management.port", String.valueOf(managementPort));
        ServiceProcess process = ServiceProcess.start("vault-service-" + name, jar("vault-service", "quarkus-app-local"),
                p, secret, options.dataDir().resolve("logs/vault-service-" + name + ".log"));
        process.awaitReady(managementUrl(managementPort) + "/q/health/ready", Duration.ofSeconds(120));
        return process;
    }

    /** Kills the stack's vault without a graceful shutdown, as a crash would; extra replicas keep running. */
    public void killVault() throws InterruptedException {
        vault.kill();
    }

    /** A client certificate from the local CA for the gateway, when the broker requires one. */
    private void gatewayClientCertificate(Map<String, String> p) {
        Path cert = localTls.dir().resolve("gateway.pem");
        Path key = localTls.dir().resolve("gateway.key");
        try {
            if (!java.nio.file.Files.exists(cert) || !java.nio.file.Files.exists(key)) {
                CertificateAuthority.Issued issued = localTls.authority().issueClient(GATEWAY_MQTT_USER,
                        Duration.ofDays(825));
                LocalTls.writePrivate(key, CertificateAuthority.pem(issued.key()));
                LocalTls.writePrivate(cert, CertificateAuthority.pem(issued.certificate()));
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write the gateway's client certificate", e);
        }
        p.put("vitalvault.gateway.mqtt.tls.cert-file", cert.toAbsolutePath().toString());
        p.put("vitalvault.gateway.mqtt.tls.key-file", key.toAbsolutePath().toString());
    }

    /** Kills the gateway without a graceful shutdown, as a crash would. */
    public void killGateway() throws InterruptedException {
        gateway.kill();
    }

    /** Starts the gateway again after {@link #killGateway()}. */
    public void restartGateway() throws IOException, InterruptedException {
        gateway = startGateway();
    }

    /**
     * What both services share: their HTTP and management ports on loopback and the database (the
     * password into {@code secret}).
     */
    private Map<String, String> commonProperties(int httpPort, int managementPort, Login login,
                                                 Map<String, String> secret) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("quarkus.http.port", String.valueOf(httpPort));
        p.put("quarkus.http.host", "127.0.0.1");
        p.put("quarkus.management.port", String.valueOf(managementPort));
        p.put("quarkus.management.host", "127.0.0.1");
        p.put("quarkus.datasource.jdbc.url", jdbcUrl);
        p.put("quarkus.datasource.username", login.user());
        secret.put("quarkus.datasource.password", login.password());
        return p;
    }

    /** A setting that must not be on a command line (ServiceProcess refuses those as plain properties). */
    private static boolean isSecret(String key) {
        return key.toLowerCase(java.util.Locale.ROOT).contains("password");
    }

    private Login login(String user) {
        return new Login(user, secrets.databasePassword(user));
    }

    /** A database login. */
    private record Login(String user, String password) {
        @Override
        public String toString() {
            return "Login[" + user + "]";
        }
    }

    /** Stops the embedded broker and starts it again on the same data (persistent sessions survive). */
    public void restartBroker(Duration down) throws InterruptedException {
        if (broker == null) {
            throw new IllegalStateException("the broker is external; restart it yourself");
        }
        int port = broker.port();
        int tlsPort = broker.tlsPort();
        broker.close();
        Thread.sleep(down.toMillis());
        broker = startBroker(port, tlsPort);
    }

    /** Stops the embedded PostgreSQL (a fast shutdown, as an outage would look to clients). */
    public void stopPostgres() {
        if (postgres == null) {
            throw new IllegalStateException("PostgreSQL is external; stop it yourself");
        }
        postgresPort = postgres.port();
        postgres.close();
    }

    /** Starts the embedded PostgreSQL again on the same data and port. */
    public void startPostgres() {
        postgres = LocalPostgres.start(options.dataDir().resolve("postgres"), postgresPort);
    }

    /**
     * The embedded broker's per-device publish quota: the gateway's own device limits, as given in
     * the gateway properties (or the gateway's defaults), so the stack has one set of numbers.
     */
    private DevicePublishQuota devicePublishQuota() {
        Map<String, String> g = options.gatewayProperties();
        return DevicePublishQuota.fromGatewaySettings(
                g.get("vitalvault.gateway.limits.device-readings-per-second"),
                g.get("vitalvault.gateway.limits.device-bytes-per-second"),
                g.get("vitalvault.gateway.limits.device-burst"));
    }

    private DatabaseBrokerCredentials brokerCredentials() {
        return new DatabaseBrokerCredentials(jdbcUrl, brokerLogin.user(), brokerLogin.password(), java.util.List.of(
                new DatabaseBrokerCredentials.ServiceLogin(GATEWAY_MQTT_USER,
                        secrets.gatewayPassword().getBytes(StandardCharsets.UTF_8),
                        DatabaseBrokerCredentials.ServiceLogin.Kind.GATEWAY),
                new DatabaseBrokerCredentials.ServiceLogin(AUDIT_MQTT_USER,
                        secrets.auditPassword().getBytes(StandardCharsets.UTF_8),
                        DatabaseBrokerCredentials.ServiceLogin.Kind.AUDIT_PUBLISHER),
                new DatabaseBrokerCredentials.ServiceLogin(WITNESS_MQTT_USER,
                        secrets.witnessPassword().getBytes(StandardCharsets.UTF_8),
                        DatabaseBrokerCredentials.ServiceLogin.Kind.WITNESS)));
    }

    private Map<String, String> vaultProperties(Map<String, String> secret) {
        Map<String, String> p = commonProperties(options.vaultPort(), vaultManagementPort, vaultLogin, secret);
        if (migratorLogin != vaultLogin) {
            // Flyway migrates as the schema's owner; the vault's own login may not change the schema.
            p.put("quarkus.flyway.username", migratorLogin.user());
            secret.put("quarkus.flyway.password", migratorLogin.password());
        }
        p.put("vitalvault.kek.file", options.dataDir().resolve("master.key").toAbsolutePath().toString());
        p.put("vitalvault.kek.create-if-missing", "true");
        p.put("vitalvault.signing-key.file", options.dataDir().resolve("signing.key").toAbsolutePath().toString());
        p.put("vitalvault.signing-key.create-if-missing", "true");
        // Development tokens (POST /dev/tokens), unless a real provider is set (run-local.sh --keycloak
        // passes quarkus.oidc.*, decision 035): the vault takes one of the two, never both.
        if (System.getProperty("quarkus.oidc.auth-server-url") == null) {
            p.put("vitalvault.jwt.public-key-file", secrets.jwtPublicKey().toAbsolutePath().toString());
        }
        p.put("smallrye.jwt.sign.key.location", secrets.jwtPrivateKey().toAbsolutePath().toUri().toString());
        if (mqttTlsPort >= 0) {
            // Devices get the TLS listener and the CA to check it with; plaintext stays on loopback.
            p.put("vitalvault.mqtt.public-url", "ssl://localhost:" + mqttTlsPort);
            p.put("vitalvault.mqtt.ca-file", localTls.caPem().toAbsolutePath().toString());
        } else {
            p.put("vitalvault.mqtt.public-url", options.mqttUrl().orElse("tcp://localhost:" + brokerPort));
        }
        auditWitnesses(p, secret);
        // Tests and benchmarks tune the vault's compaction (e.g. -Dvitalvault.compaction.interval=PT1S)
        // and system privacy terms (the query benchmark raises the ε caps to measure many releases);
        // an external Mosquitto is provisioned through vitalvault.broker.* (MosquittoDynsecIT); the
        // restore drill sets the erasure journal (vitalvault.erasure.journal-file, RestoreDrillIT).
        System.getProperties().stringPropertyNames().stream()
                .filter(k -> k.startsWith("vitalvault.compaction.") || k.startsWith("vitalvault.policy.")
                        || k.startsWith("vitalvault.broker.") || k.startsWith("quarkus.oidc.")
                        || k.startsWith("vitalvault.erasure.") || k.startsWith("vitalvault.audit."))
                .forEach(k -> (isSecret(k) ? secret : p).put(k, System.getProperty(k)));
        return p;
    }

    /**
     * The audit log's witnesses (issue 17): every new checkpoint goes to {@code <data>/audit-checkpoint.txt}
     * and, with the embedded broker, retained to {@code vitalvault/audit/checkpoint} as
     * {@value #AUDIT_MQTT_USER} (over loopback plaintext, else the TLS listener with the local CA; not
     * when that listener requires client certificates and there is no plaintext one). An external
     * broker gets checkpoints only when {@code -Dvitalvault.audit.mqtt-url=…} etc. are given.
     */
    private void auditWitnesses(Map<String, String> p, Map<String, String> secret) {
        p.put("vitalvault.audit.checkpoint-file", checkpointFile().toString());
        if (options.mqttUrl().isPresent()) {
            return;
        }
        if (options.tls().plaintextMqtt()) {
            p.put("vitalvault.audit.mqtt-url", "tcp://127.0.0.1:" + brokerPort);
        } else if (mqttTlsPort >= 0 && options.tls().clientAuth() != BrokerTls.ClientAuth.REQUIRED) {
            p.put("vitalvault.audit.mqtt-url", "ssl://localhost:" + mqttTlsPort);
            p.put("vitalvault.broker.tls.trust-file", localTls.caPem().toAbsolutePath().toString());
        } else {
            return;
        }
        p.put("vitalvault.audit.mqtt-username", AUDIT_MQTT_USER);
        secret.put("vitalvault.audit.mqtt-password", secrets.auditPassword());
    }

    /** The file witness: where the vault writes each new checkpoint. */
    public Path checkpointFile() {
        return options.dataDir().resolve(CHECKPOINT_FILE).toAbsolutePath();
    }

    /** The embedded broker's read-only witness password ({@value #WITNESS_MQTT_USER}; also in data/witness.secret). */
    public String witnessPassword() {
        return secrets.witnessPassword();
    }

    /**
     * The vault runs its local-stack build (quarkus-app-local: the production build plus the
     * development token mint POST /dev/tokens, built in at build time); the gateway its only build.
     */
    private Path jar(String module, String build) {
        return options.repoDir().resolve(module).resolve("target").resolve(build).resolve("quarkus-run.jar");
    }

    public String vaultUrl() {
        return "http://127.0.0.1:" + options.vaultPort();
    }

    public String gatewayUrl() {
        return "http://127.0.0.1:" + options.gatewayPort();
    }

    /** The vault's management interface: /q/health, /q/metrics. */
    public String vaultManagementUrl() {
        return managementUrl(vaultManagementPort);
    }

    /** The gateway's management interface: /q/health, /q/metrics, /rejections. */
    public String gatewayManagementUrl() {
        return managementUrl(gatewayManagementPort);
    }

    private static String managementUrl(int port) {
        return "http://127.0.0.1:" + port;
    }

    /** The given port, or a free one for 0 (chosen once, so restarts keep it). */
    private static int portOrFree(int port) throws IOException {
        if (port != 0) {
            return port;
        }
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    public String mqttUrl() {
        return mqttUrl;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** The running service processes (vault first), e.g. to inspect what their command lines show. */
    public java.util.List<ServiceProcess> services() {
        return java.util.stream.Stream.of(vault, gateway).filter(java.util.Objects::nonNull).toList();
    }

    public boolean embeddedBroker() {
        return broker != null;
    }

    /** The embedded broker (its limit counters), or empty when the broker is external. */
    public Optional<EmbeddedBroker> broker() {
        return Optional.ofNullable(broker);
    }

    public boolean embeddedPostgres() {
        return postgres != null;
    }

    public Path dataDir() {
        return options.dataDir();
    }

    @Override
    public void close() {
        if (https != null) {
            https.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (broker != null) {
            broker.close();
        }
        if (vault != null) {
            vault.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }
}
