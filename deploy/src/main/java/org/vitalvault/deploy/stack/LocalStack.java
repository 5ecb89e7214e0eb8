package org.vitalvault.deploy.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.vitalvault.deploy.broker.DatabaseBrokerCredentials;
import org.vitalvault.deploy.broker.DevicePublishQuota;
import org.vitalvault.deploy.broker.EmbeddedBroker;
import org.vitalvault.deploy.db.LocalPostgres;

/**
 * The whole stack on one machine: PostgreSQL and the MQTT broker embedded in this process (unless
 * external ones are given), vault-service and sensor-gateway as child processes. Closing it stops
 * everything in reverse order; the data folder keeps everything for the next start.
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
    private String dbUser;
    private int postgresPort;
    private String dbPassword;
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
        dbUser = postgres != null ? postgres.user() : options.dbUser();
        dbPassword = postgres != null ? postgres.password() : options.dbPassword();

        // The vault first: it owns the schema (Flyway) that the broker's device lookups read.
        vault = ServiceProcess.start("vault-service", jar("vault-service", "quarkus-app-local"), vaultProperties(),
                data.resolve("logs/vault-service.log"));
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
        Map<String, String> p = commonProperties(httpPort);
        p.put("vitalvault.gateway.mqtt.url", mqttUrl);
        if (options.mqttUrl().isEmpty()) {
            p.put("vitalvault.gateway.mqtt.username", GATEWAY_MQTT_USER);
            p.put("vitalvault.gateway.mqtt.password", secrets.gatewayPassword());
            // The embedded broker knows one gateway user; its replicas' connections differ by client id.
            p.put("vitalvault.gateway.mqtt.receipts-username", GATEWAY_MQTT_USER);
        } else {
            options.mqttUser().ifPresent(u -> p.put("vitalvault.gateway.mqtt.username", u));
            options.mqttPassword().ifPresent(pw -> p.put("vitalvault.gateway.mqtt.password", pw));
        }
        p.putAll(options.gatewayProperties());
        if (clientId != null) {
            p.put("vitalvault.gateway.mqtt.client-id", clientId);
        }
        ServiceProcess process = ServiceProcess.start(name, jar("sensor-gateway", "quarkus-app"), p,
                options.dataDir().resolve("logs/" + name + ".log"));
        process.awaitReady("http://127.0.0.1:" + httpPort + "/q/health/ready", Duration.ofSeconds(120));
        return process;
    }

    /** Kills the gateway without a graceful shutdown, as a crash would. */
    public void killGateway() throws InterruptedException {
        gateway.kill();
    }

    /** Starts the gateway again after {@link #killGateway()}. */
    public void restartGateway() throws IOException, InterruptedException {
        gateway = startGateway();
    }

    /** What both services share: their HTTP port on loopback and the database. */
    private Map<String, String> commonProperties(int httpPort) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("quarkus.http.port", String.valueOf(httpPort));
        p.put("quarkus.http.host", "127.0.0.1");
        p.put("quarkus.datasource.jdbc.url", jdbcUrl);
        p.put("quarkus.datasource.username", dbUser);
        p.put("quarkus.datasource.password", dbPassword);
        return p;
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
        return new DatabaseBrokerCredentials(jdbcUrl, dbUser, dbPassword, GATEWAY_MQTT_USER,
                secrets.gatewayPassword().getBytes(StandardCharsets.UTF_8));
    }

    private Map<String, String> vaultProperties() {
        Map<String, String> p = commonProperties(options.vaultPort());
        p.put("vitalvault.kek.file", options.dataDir().resolve("master.key").toAbsolutePath().toString());
        p.put("vitalvault.kek.create-if-missing", "true");
        p.put("vitalvault.signing-key.file", options.dataDir().resolve("signing.key").toAbsolutePath().toString());
        p.put("vitalvault.signing-key.create-if-missing", "true");
        p.put("mp.jwt.verify.publickey.location", secrets.jwtPublicKey().toAbsolutePath().toUri().toString());
        p.put("smallrye.jwt.sign.key.location", secrets.jwtPrivateKey().toAbsolutePath().toUri().toString());
        p.put("vitalvault.mqtt.public-url", options.mqttUrl().orElse("tcp://localhost:" + options.brokerPort()));
        // Tests and benchmarks tune the vault's compaction (e.g. -Dvitalvault.compaction.interval=PT1S)
        // and system privacy terms (the query benchmark raises the ε caps to measure many releases);
        // an external Mosquitto is provisioned through vitalvault.broker.* (MosquittoDynsecIT); the
        // restore drill sets the erasure journal (vitalvault.erasure.journal-file, RestoreDrillIT).
        System.getProperties().stringPropertyNames().stream()
                .filter(k -> k.startsWith("vitalvault.compaction.") || k.startsWith("vitalvault.policy.")
                        || k.startsWith("vitalvault.broker.") || k.startsWith("vitalvault.erasure."))
                .forEach(k -> p.put(k, System.getProperty(k)));
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
