package org.vitalvault.deploy.stack;

import java.io.IOException;
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
import org.vitalvault.deploy.db.LocalPostgres;

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

    /** Where and how to run. Empty optionals mean "embedded". */
    public record Options(Path repoDir, Path dataDir, Optional<String> dbUrl, String dbUser, String dbPassword,
                          Optional<String> mqttUrl, Optional<String> mqttUser, Optional<String> mqttPassword,
                          int postgresPort, int brokerPort, int vaultPort, int gatewayPort,
                          Map<String, String> gatewayProperties) {

        public static Options defaults(Path repoDir, Path dataDir) {
            return new Options(repoDir, dataDir, Optional.empty(), "postgres", "", Optional.empty(), Optional.empty(),
                    Optional.empty(), 15432, 1883, 8080, 8081, Map.of());
        }

        @Override
        public String toString() {
            return "Options[" + dataDir + "]";
        }
    }

    private static final String GATEWAY_MQTT_USER = "vault-gateway";

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
        vault.awaitReady(vaultUrl() + "/q/health/ready", Duration.ofSeconds(120));

        if (options.mqttUrl().isPresent()) {
            mqttUrl = options.mqttUrl().get();
        } else {
            broker = EmbeddedBroker.start(data.resolve("broker"), options.brokerPort(), brokerCredentials(),
                    devicePublishQuota());
            mqttUrl = "tcp://127.0.0.1:" + broker.port();
        }
        gateway = startGateway();
    }

    private ServiceProcess startGateway() throws IOException, InterruptedException {
        return startGateway(null, options.gatewayPort(), "sensor-gateway");
    }

    /**
     * Starts one more gateway in the same shared-subscription group (its own client id, HTTP port
     * and log), as a second replica would run.
     */
    public ServiceProcess startExtraGateway(String clientId, int httpPort) throws IOException, InterruptedException {
        return startGateway(clientId, httpPort, "sensor-gateway-" + clientId);
    }

    private ServiceProcess startGateway(String clientId, int httpPort, String name)
            throws IOException, InterruptedException {
        Map<String, String> secret = new LinkedHashMap<>();
        Map<String, String> p = commonProperties(httpPort, gatewayLogin, secret);
        p.put("vitalvault.gateway.mqtt.url", mqttUrl);
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
        process.awaitReady("http://127.0.0.1:" + httpPort + "/q/health/ready", Duration.ofSeconds(120));
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
        process.awaitReady("http://127.0.0.1:" + httpPort + "/q/health/ready", Duration.ofSeconds(120));
        return process;
    }

    /** Kills the stack's vault without a graceful shutdown, as a crash would; extra replicas keep running. */
    public void killVault() throws InterruptedException {
        vault.kill();
    }

    /** Kills the gateway without a graceful shutdown, as a crash would. */
    public void killGateway() throws InterruptedException {
        gateway.kill();
    }

    /** Starts the gateway again after {@link #killGateway()}. */
    public void restartGateway() throws IOException, InterruptedException {
        gateway = startGateway();
    }

    /** What both services share: their HTTP port on loopback and the database (the password into {@code secret}). */
    private Map<String, String> commonProperties(int httpPort, Login login, Map<String, String> secret) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("quarkus.http.port", String.valueOf(httpPort));
        p.put("quarkus.http.host", "127.0.0.1");
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
        broker.close();
        Thread.sleep(down.toMillis());
        broker = EmbeddedBroker.start(options.dataDir().resolve("broker"), port, brokerCredentials(),
                devicePublishQuota());
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
        return new DatabaseBrokerCredentials(jdbcUrl, brokerLogin.user(), brokerLogin.password(), GATEWAY_MQTT_USER,
                secrets.gatewayPassword().getBytes(StandardCharsets.UTF_8));
    }

    private Map<String, String> vaultProperties(Map<String, String> secret) {
        Map<String, String> p = commonProperties(options.vaultPort(), vaultLogin, secret);
        if (migratorLogin != vaultLogin) {
            // Flyway migrates as the schema's owner; the vault's own login may not change the schema.
            p.put("quarkus.flyway.username", migratorLogin.user());
            secret.put("quarkus.flyway.password", migratorLogin.password());
        }
        p.put("vitalvault.kek.file", options.dataDir().resolve("master.key").toAbsolutePath().toString());
        p.put("vitalvault.kek.create-if-missing", "true");
        p.put("vitalvault.signing-key.file", options.dataDir().resolve("signing.key").toAbsolutePath().toString());
        p.put("vitalvault.signing-key.create-if-missing", "true");
        p.put("mp.jwt.verify.publickey.location", secrets.jwtPublicKey().toAbsolutePath().toUri().toString());
        p.put("smallrye.jwt.sign.key.location", secrets.jwtPrivateKey().toAbsolutePath().toUri().toString());
        p.put("vitalvault.mqtt.public-url", options.mqttUrl().orElse("tcp://localhost:" + options.brokerPort()));
        // Tests and benchmarks tune the vault's compaction (e.g. -Dvitalvault.compaction.interval=PT1S)
        // and system privacy terms (the query benchmark raises the ε caps to measure many releases);
        // an external Mosquitto is provisioned through vitalvault.broker.* (MosquittoDynsecIT).
        System.getProperties().stringPropertyNames().stream()
                .filter(k -> k.startsWith("vitalvault.compaction.") || k.startsWith("vitalvault.policy.")
                        || k.startsWith("vitalvault.broker."))
                .forEach(k -> (isSecret(k) ? secret : p).put(k, System.getProperty(k)));
        return p;
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
