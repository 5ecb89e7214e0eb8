package org.vitalvault.deploy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.vitalvault.deploy.broker.BrokerTls;
import org.vitalvault.deploy.db.IncompatibleDataDirectoryException;
import org.vitalvault.deploy.db.PostgresDataVersion;
import org.vitalvault.deploy.keycloak.LocalKeycloak;
import org.vitalvault.deploy.sandbox.ResearcherSandbox;
import org.vitalvault.deploy.simulator.Fleet;
import org.vitalvault.deploy.simulator.FleetSimulator;
import org.vitalvault.deploy.simulator.SimulationSettings;
import org.vitalvault.deploy.stack.GatewayProgress;
import org.vitalvault.deploy.stack.LocalStack;
import org.vitalvault.deploy.stack.VaultClient;

/**
 * {@code deploy/run-local.sh}: the whole stack on this machine, optionally with a simulated fleet.
 * Prints where everything runs, a line starting with READY, then progress every five seconds until
 * Ctrl-C, which stops everything cleanly. Everything is kept under the data folder.
 */
public final class RunLocal {

    private static final String USAGE = """
            usage: deploy/run-local.sh [--simulate N] [--sandbox [--sandbox-days 28]] [--data DIR] [--db-url URL --db-user U]
                                       [--mqtt-url URL [--mqtt-user U]]
                                       [--http-port 8080] [--gateway-port 8081] [--mqtt-port 1883] [--pg-port 15432]
                                       [--mqtt-tls-port 8883] [--https-port 8443] [--mqtt-client-auth none|optional|required]
                                       [--management-port 9000] [--gateway-management-port 9001]
              --simulate N   register N simulated owners, pair their devices, publish vitals
                [--format json|cbor|mixed] [--mac] [--pack-scale K] [--bad-share 0.02] [--late-share 0.05]
                             SenML encoding; COSE_Mac0 on every pack (devices paired mac-required);
                             K times the natural pack size; share of packs sent wrong on purpose;
                             share of packs held back and sent later, out of order
              --sandbox      a researcher sandbox: a demo organisation (approved; its key in DIR/sandbox/)
                             to which the simulated owners (--simulate, default 40) consent, and
                             --sandbox-days (28, at most 29) of back-dated heart rate and SpO2 per owner
              --data DIR     where PostgreSQL, the broker, keys and logs live (default ./data; env VITALVAULT_DATA)
              --db-url       use this PostgreSQL instead of the embedded one (env VITALVAULT_DB_URL); its password
                             in env VITALVAULT_DB_PASSWORD (a --db-password flag would show in ps)
              --mqtt-url     use this MQTT 5 broker instead of the embedded one (env VITALVAULT_MQTT_URL); its
                             password in env VITALVAULT_MQTT_PASSWORD
              TLS (local CA made on the first run in DIR/tls/): MQTT over TLS and HTTPS on all interfaces,
                             plaintext MQTT and HTTP on 127.0.0.1 only; -1 turns a TLS port off;
                             --mqtt-client-auth required: devices need a client certificate from DIR/tls/ca
              --management-port, --gateway-management-port
                             health, metrics and the gateway's /rejections, on 127.0.0.1 only (0 = any free port)
              --keycloak     also run Keycloak on 127.0.0.1:18080 (realm vitalvault, users owner, researcher,
                             operator, caregiver; password = user name) and make the vault accept only its
                             tokens instead of development tokens (needs a JDK 21+; decision 035)
                [--keycloak-port 18080]
            """;

    /** Keycloak's port in the local stack (DESIGN-15: 127.0.0.1 only). */
    private static final int KEYCLOAK_PORT = 18080;

    private RunLocal() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = parse(args);
        Path repo = Path.of(a.getOrDefault("repo", System.getProperty("vitalvault.repo", "."))).toAbsolutePath().normalize();
        Path data = Path.of(opt(a, "data", "VITALVAULT_DATA").orElse(repo.resolve("data").toString())).toAbsolutePath().normalize();
        boolean sandbox = a.containsKey("sandbox");
        if (sandbox) {
            // A sandbox is for trying the researcher path, again and again, over 40 owners: its lease
            // requests spend ε 1 on the noisy cohort estimate (sd ≈ 2.4 owners instead of ≈ 24 at the
            // production 0.1, so 40 owners are approved every time) from a discovery budget of 100
            // instead of 2 (decision 024). An explicit -Dvitalvault.policy.… wins.
            System.getProperties().putIfAbsent("vitalvault.policy.lease-request-epsilon", "1.0");
            System.getProperties().putIfAbsent("vitalvault.policy.discovery-epsilon-per-year", "100");
            System.getProperties().putIfAbsent("vitalvault.policy.lease-requests-per-day", "100");
        }
        // 40 owners: enough that a lease over them is approved at the sandbox's lease-request ε.
        int simulate = Integer.parseInt(a.getOrDefault("simulate", sandbox ? "40" : "0"));
        int sandboxDays = Integer.parseInt(a.getOrDefault("sandbox-days", "28"));
        if (sandbox && (simulate < 1 || sandboxDays < 1 || sandboxDays > 29)) {
            System.err.print("--sandbox needs --simulate N ≥ 1 and --sandbox-days between 1 and 29 (the gateway takes"
                    + " readings up to 30 days old)\n" + USAGE);
            System.exit(2);
        }
        LocalStack.Options defaults = LocalStack.Options.defaults(repo, data);
        LocalStack.Options options = new LocalStack.Options(repo, data,
                opt(a, "db-url", "VITALVAULT_DB_URL"),
                opt(a, "db-user", "VITALVAULT_DB_USER").orElse("postgres"),
                opt(a, "db-password", "VITALVAULT_DB_PASSWORD").orElse(""),
                opt(a, "mqtt-url", "VITALVAULT_MQTT_URL"),
                opt(a, "mqtt-user", "VITALVAULT_MQTT_USER"),
                opt(a, "mqtt-password", "VITALVAULT_MQTT_PASSWORD"),
                Integer.parseInt(a.getOrDefault("pg-port", String.valueOf(defaults.postgresPort()))),
                Integer.parseInt(a.getOrDefault("mqtt-port", String.valueOf(defaults.brokerPort()))),
                Integer.parseInt(a.getOrDefault("http-port", String.valueOf(defaults.vaultPort()))),
                Integer.parseInt(a.getOrDefault("gateway-port", String.valueOf(defaults.gatewayPort()))),
                Map.of(), new LocalStack.Tls(
                        Integer.parseInt(a.getOrDefault("mqtt-tls-port", String.valueOf(defaults.tls().mqttPort()))),
                        Integer.parseInt(a.getOrDefault("https-port", String.valueOf(defaults.tls().httpsPort()))),
                        BrokerTls.ClientAuth.valueOf(a.getOrDefault("mqtt-client-auth", "none").toUpperCase(java.util.Locale.ROOT)),
                        true, false),
                Integer.parseInt(a.getOrDefault("management-port", String.valueOf(defaults.vaultManagementPort()))),
                Integer.parseInt(a.getOrDefault("gateway-management-port",
                        String.valueOf(defaults.gatewayManagementPort()))));

        System.out.println("Vital Vault local stack — data in " + data);
        long started = System.nanoTime();
        boolean withKeycloak = a.containsKey("keycloak");
        if (withKeycloak && simulate > 0) {
            // The simulator and the sandbox register their owners with development tokens.
            System.err.print("--keycloak does not combine with --simulate or --sandbox yet (they use development tokens)\n"
                    + USAGE);
            System.exit(2);
        }
        LocalKeycloak keycloak = withKeycloak
                ? startKeycloak(data, Integer.parseInt(a.getOrDefault("keycloak-port", String.valueOf(KEYCLOAK_PORT))))
                : null;
        LocalStack stack;
        try {
            stack = LocalStack.start(options);
        } catch (IncompatibleDataDirectoryException e) {
            System.err.println(e.getMessage());   // says what to do; a stack trace would bury it
            if (keycloak != null) {
                keycloak.close();
            }
            System.exit(1);
            return;
        } catch (RuntimeException | java.io.IOException | InterruptedException e) {
            if (keycloak != null) {
                keycloak.close();
            }
            throw e;
        }
        FleetSimulator[] simulator = new FleetSimulator[1];
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean stopping = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping.set(true);
            System.out.println("\nStopping…");
            if (simulator[0] != null) {
                simulator[0].close();
            }
            stack.close();
            if (keycloak != null) {
                keycloak.close();
            }
            System.out.println("Stopped. Data kept in " + data);
            stopped.countDown();
        }, "shutdown"));

        System.out.printf("  PostgreSQL      %s (%s)%n", stack.jdbcUrl(), stack.embeddedPostgres()
                ? "embedded PostgreSQL " + PostgresDataVersion.binariesMajor() + ", fsync on; data made by PostgreSQL "
                        + PostgresDataVersion.recordedMajor(data.resolve("postgres")).orElse("?")
                : "external");
        System.out.printf("  MQTT broker     %s (%s)%n", stack.mqttUrl(), stack.embeddedBroker() ? "embedded HiveMQ CE, MQTT 5" : "external");
        if (stack.mqttTlsUrl() != null) {
            System.out.printf("  MQTT over TLS   %s on all interfaces (client certificates: %s; devices get this URL"
                    + " and the CA at pairing)%n", stack.mqttTlsUrl(), options.tls().clientAuth().name().toLowerCase(java.util.Locale.ROOT));
        }
        // The audit log's three witnesses (issue 17): the file, the retained topic, GET /audit/checkpoint.
        System.out.printf("  audit witness   %s; GET %s/audit/checkpoint%s%n", stack.checkpointFile(), stack.vaultUrl(),
                stack.embeddedBroker() && stack.broker().orElseThrow().port() >= 0 ? "; mosquitto_sub -V mqttv5 -p " + stack.broker().orElseThrow().port() + " -u "
                        + LocalStack.WITNESS_MQTT_USER + " -P \"$(cat " + data.resolve("witness.secret") + ")\" -t "
                        + org.vitalvault.wire.Topics.AUDIT_CHECKPOINT : "");
        System.out.printf("  vault-service   %s  (OpenAPI %s/q/openapi; health %s/q/health, metrics %s/q/metrics)%n",
                stack.vaultUrl(), stack.vaultUrl(), stack.vaultManagementUrl(), stack.vaultManagementUrl());
        if (stack.vaultHttpsUrl() != null) {
            System.out.printf("  vault HTTPS     %s on all interfaces (curl --cacert %s %s/vault/keys)%n", stack.vaultHttpsUrl(),
                    stack.localTls().orElseThrow().caPem(), stack.vaultHttpsUrl());
        }
        stack.localTls().ifPresent(t -> System.out.printf("  local CA        %s (trust it on devices and browsers; its key"
                + " %s never leaves this machine)%n", t.caPem(), t.caKey().getFileName()));
        // localhost, not 127.0.0.1: the realm's app client allows redirects to http://localhost:8080/app/* only.
        System.out.printf("  owner app       %s/app/  (%s)%n", stack.vaultUrl().replace("127.0.0.1", "localhost"),
                keycloak != null ? "sign in at Keycloak, e.g. owner/owner" : "development login: any subject, any role");
        System.out.printf("  sensor-gateway  health %s/q/health, metrics %s/q/metrics, rejections %s/rejections%n",
                stack.gatewayManagementUrl(), stack.gatewayManagementUrl(), stack.gatewayManagementUrl());
        if (keycloak != null) {
            System.out.printf("  Keycloak        %s (realm %s; admin console http://127.0.0.1:%d/admin, admin/admin;"
                    + " users owner, researcher, operator, caregiver, clinician, password = user name — local only)%n",
                    keycloak.issuer(), LocalKeycloak.REALM, keycloak.port());
        }
        System.out.printf("  logs            %s%n", data.resolve("logs"));
        ResearcherSandbox.Demo demo = null;
        if (simulate > 0) {
            VaultClient vault = new VaultClient(stack.vaultUrl());
            SimulationSettings settings = new SimulationSettings(a.getOrDefault("format", "mixed"),
                    a.containsKey("mac"), Integer.parseInt(a.getOrDefault("pack-scale", "1")),
                    Double.parseDouble(a.getOrDefault("bad-share", "0")), Double.parseDouble(a.getOrDefault("late-share", "0")));
            var fleet = Fleet.ensure(data.resolve("simulator/fleet.json"), simulate, settings.mac(), vault);
            if (sandbox) {
                long t = System.nanoTime();
                demo = ResearcherSandbox.ensure(data.resolve("sandbox"), fleet, sandboxDays, settings.mac(), vault,
                        stack.vaultUrl(), stack.mqttUrl());
                System.out.printf("  sandbox         %d owners consent to the demo organisation; %s in %.1f s%n", demo.owners(),
                        demo.readingsPublished() == 0 ? "their history was in place already"
                                : String.format("%,d back-dated readings of heart rate and SpO2 published (up to %d days)",
                                        demo.readingsPublished(), demo.days()), (System.nanoTime() - t) / 1e9);
            }
            simulator[0] = new FleetSimulator(fleet, settings, 42);
            simulator[0].start(stack.mqttUrl());
            System.out.printf("  simulator       %d owners, %d devices, %s%n", fleet.size(), simulator[0].deviceCount(),
                    settings);
        }
        if (demo != null) {
            System.out.printf("SANDBOX demo organisation %s (\"%s\", approved), signing key %s%n"
                            + "  . %s          # exports VITALVAULT_ORG, VITALVAULT_KEY, VITALVAULT_VAULT%n"
                            + "  export VITALVAULT_TOKEN=$(deploy/researcher.sh dev-token %s)%n"
                            + "  deploy/researcher.sh lease request --metrics heart_rate --kinds MEAN,COUNT,QUANTILES"
                            + " --from today-%dd --epsilon 1 --out lease.json%n",
                    demo.orgId(), ResearcherSandbox.NAME, demo.keyFile(), demo.envFile(), ResearcherSandbox.SUBJECT,
                    demo.days() - 1);
        }
        if (keycloak != null) {
            System.out.printf("READY in %.1f s — try: curl -s %s -d grant_type=password -d client_id=%s"
                            + " -d username=owner -d password=owner | jq -r .access_token%n",
                    (System.nanoTime() - started) / 1e9, keycloak.tokenEndpoint(), LocalKeycloak.CLIENT);
        } else {
            System.out.printf("READY in %.1f s — try: curl -s -X POST %s/dev/tokens -H 'Content-Type: application/json'"
                            + " -d '{\"subject\":\"sim-owner-1\",\"role\":\"owner\"}'%n",
                    (System.nanoTime() - started) / 1e9, stack.vaultUrl());
        }

        GatewayProgress progress = new GatewayProgress(stack.gatewayManagementUrl());
        double lastStored = 0;
        long lastAt = System.nanoTime();
        while (!stopped.await(5, java.util.concurrent.TimeUnit.SECONDS)) {
            if (stopping.get()) {
                continue;
            }
            try {
                GatewayProgress.Snapshot s = progress.read();
                long now = System.nanoTime();
                double rate = (s.readingsStored() - lastStored) / ((now - lastAt) / 1e9);
                // The embedded broker's own refusals (decision 033) never reach the gateway's counters.
                String broker = stack.broker()
                        .filter(b -> b.publishesOverQuota() + b.qos0PublishesDropped() > 0)
                        .map(b -> String.format("; broker refused %d over quota, dropped %d QoS 0",
                                b.publishesOverQuota(), b.qos0PublishesDropped()))
                        .orElse("");
                System.out.printf("ingest: %.0f readings/s, %.0f stored, %.0f rejected %s%s%n", rate, s.readingsStored(),
                        s.rejected(), s.rejectedByReason().isEmpty() ? "" : s.rejectedByReason(), broker);
                lastStored = s.readingsStored();
                lastAt = now;
            } catch (java.io.IOException e) {
                if (!stopping.get()) {
                    System.out.println("ingest: gateway not answering (" + e.getClass().getSimpleName() + ")");
                }
            }
        }
    }

    /**
     * Keycloak on 127.0.0.1 ({@value #KEYCLOAK_PORT} unless --keycloak-port) from the distribution zip in the local Maven
     * repository (run-local.sh fetches it), unpacked once under DIR/keycloak; the realm is imported on
     * the first start and kept after. The vault is then configured for it (quarkus.oidc.*).
     */
    private static LocalKeycloak startKeycloak(Path data, int port) throws java.io.IOException, InterruptedException {
        Path zip = LocalKeycloak.zipInLocalRepository();
        if (!java.nio.file.Files.isRegularFile(zip)) {
            System.err.println(zip + " is missing: deploy/run-local.sh --keycloak fetches it (mvn dependency:get"
                    + " -Dtransitive=false -Dartifact=org.keycloak:keycloak-quarkus-dist:" + LocalKeycloak.VERSION + ":zip)");
            System.exit(1);
        }
        long t = System.nanoTime();
        System.out.println("  Keycloak        starting (the first start unpacks and builds it: a minute or more)…");
        Path home = LocalKeycloak.unpack(zip, data.resolve("keycloak"));
        LocalKeycloak keycloak = LocalKeycloak.start(home, port, false, data.resolve("logs/keycloak.log"),
                java.time.Duration.ofMinutes(10));
        keycloak.vaultProperties().forEach(System::setProperty);
        System.out.printf("  Keycloak        ready in %.1f s%n", (System.nanoTime() - t) / 1e9);
        return keycloak;
    }

    private static Optional<String> opt(Map<String, String> a, String key, String env) {
        return Optional.ofNullable(a.get(key)).or(() -> Optional.ofNullable(System.getenv(env)));
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> result = new java.util.HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("-h") || arg.equals("--help")) {
                System.out.print(USAGE);
                System.exit(0);
            }
            if (arg.equals("--mac") || arg.equals("--sandbox") || arg.equals("--keycloak")) {
                result.put(arg.substring(2), "true");
                continue;
            }
            if (!arg.startsWith("--") || i + 1 >= args.length) {
                System.err.print("unexpected argument " + arg + "\n" + USAGE);
                System.exit(2);
            }
            if (arg.endsWith("-password")) {
                // ps shows every process's arguments to every local user (docs/decisions/036).
                System.err.println("warning: " + arg + " puts a password on the command line, visible in ps; set "
                        + (arg.equals("--db-password") ? "VITALVAULT_DB_PASSWORD" : "VITALVAULT_MQTT_PASSWORD")
                        + " in the environment instead");
            }
            result.put(arg.substring(2), args[++i]);
        }
        return result;
    }
}
