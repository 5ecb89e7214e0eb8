package org.vitalvault.deploy.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The deployment files (deploy/compose, deploy/k8s, Prometheus, Grafana) checked against each other
 * and against the code, since nothing here can run them: every secret, config map and volume they
 * reference exists; every probe hits a declared port with a health path; every environment
 * variable a service is given is a configuration key that service has; Prometheus scrapes the
 * management ports the services declare; every dashboard query names a meter the code registers.
 */
class DeploymentFilesTest {

    private static final Path REPO = Path.of(System.getProperty("vitalvault.repo", "..")).toAbsolutePath().normalize();
    private static final Path COMPOSE_DIR = REPO.resolve("deploy/compose");
    private static final Path K8S_DIR = REPO.resolve("deploy/k8s");
    /** DESIGN-15: management ports. */
    private static final Map<String, String> MANAGEMENT_PORT = Map.of("vault-service", "9000", "sensor-gateway", "9001");
    private static final Set<String> HEALTH_PATHS = Set.of("/q/health/live", "/q/health/ready", "/q/health/started");
    private static Map<String, ServiceConfigKeys> configByImage;
    private static Set<String> meters;

    @BeforeAll
    static void readTheCode() throws IOException {
        configByImage = Map.of(
                "vitalvault/vault-service", ServiceConfigKeys.of(REPO, "vault-service", "org.vitalvault.vault.config.VaultConfig"),
                "vitalvault/sensor-gateway", ServiceConfigKeys.of(REPO, "sensor-gateway",
                        "org.vitalvault.gateway.config.GatewayConfig"));
        meters = RegisteredMeters.prometheusNames(REPO.resolve("vault-service/src/main/java"),
                REPO.resolve("sensor-gateway/src/main/java"));
    }

    // ---------------------------------------------------------------- the checker itself

    @Test
    void theConfigurationModelKnowsTheKeysItMustKnow() {
        ServiceConfigKeys vault = configByImage.get("vitalvault/vault-service");
        ServiceConfigKeys gateway = configByImage.get("vitalvault/sensor-gateway");
        assertTrue(vault.knowsEnv("VITALVAULT_KEK_BASE64"), "nested mapping leaves");
        assertTrue(vault.knowsEnv("VITALVAULT_BROKER_ADMIN_PASSWORD"));
        assertTrue(gateway.knowsEnv("VITALVAULT_GATEWAY_MQTT_SHARED_GROUP"));
        assertTrue(gateway.knowsEnv("VITALVAULT_GATEWAY_LIMITS_MAX_PAYLOAD_BYTES"), "kebab-cased leaves");
        assertFalse(gateway.knowsEnv("VITALVAULT_GATEWAY_MQTT_SHARED_GROOP"), "a typo is not a key");
        assertFalse(gateway.knowsEnv("VITALVAULT_KEK_BASE64"), "another service's key is not this one's");
        assertTrue(meters.containsAll(Set.of("vitalvault_gateway_readings_stored_total",
                "vitalvault_gateway_commit_seconds_count", "vitalvault_query_phase_seconds_sum",
                "vitalvault_gateway_queued_messages")), () -> "meters found: " + meters);
    }

    // ---------------------------------------------------------------- compose

    @Test
    void composeReferencesOnlySecretsVolumesFilesAndServicesItDeclares() throws IOException {
        Map<String, Object> compose = yaml(COMPOSE_DIR.resolve("compose.yaml"));
        Map<String, Object> services = map(compose.get("services"));
        Set<String> secrets = map(compose.get("secrets")).keySet();
        Set<String> volumes = map(compose.getOrDefault("volumes", Map.of())).keySet();
        String makeSecrets = Files.readString(COMPOSE_DIR.resolve("make-secrets.sh"));
        List<String> problems = new ArrayList<>();
        map(compose.get("secrets")).forEach((name, def) -> {
            String file = (String) map(def).get("file");
            if (!generatedOrPresent(file, makeSecrets)) {
                problems.add("secret " + name + ": " + file + " neither exists nor is written by make-secrets.sh");
            }
        });
        services.forEach((name, s) -> {
            Map<String, Object> service = map(s);
            for (Object secret : list(service.get("secrets"))) {
                if (!secrets.contains(String.valueOf(secret))) {
                    problems.add(name + " uses undeclared secret " + secret);
                }
            }
            for (Object v : list(service.get("volumes"))) {
                String source = String.valueOf(v).split(":")[0];
                if (source.startsWith(".") || source.startsWith("/")) {
                    String relative = REPO.relativize(COMPOSE_DIR.resolve(source).normalize()).toString();
                    if (!Files.exists(COMPOSE_DIR.resolve(source))) {
                        problems.add(name + " mounts missing " + source);
                    }
                } else if (!volumes.contains(source)) {
                    problems.add(name + " uses undeclared volume " + source);
                }
            }
            for (Object file : list(service.get("env_file"))) {
                if (!generatedOrPresent(String.valueOf(file), makeSecrets)) {
                    problems.add(name + ": env file " + file + " neither exists nor is written by make-secrets.sh");
                }
            }
            Object depends = service.get("depends_on");
            Iterable<?> deps = depends instanceof Map<?, ?> m ? m.keySet() : list(depends);
            for (Object d : deps) {
                if (!services.containsKey(String.valueOf(d))) {
                    problems.add(name + " depends on unknown service " + d);
                }
            }
        });
        assertEquals(List.of(), problems);
    }

    @Test
    void everyVariableComposeGivesAServiceIsAConfigKeyOfThatService() throws IOException {
        Map<String, Object> services = map(yaml(COMPOSE_DIR.resolve("compose.yaml")).get("services"));
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (Map.Entry<String, Object> e : services.entrySet()) {
            Map<String, Object> service = map(e.getValue());
            ServiceConfigKeys keys = keysOf(String.valueOf(service.get("image")));
            if (keys == null) {
                continue;
            }
            Map<String, Object> env = map(service.get("environment"));
            for (String name : env.keySet()) {
                checked++;
                if (!keys.knowsEnv(name)) {
                    problems.add(e.getKey() + ": " + name + " is no configuration key of " + keys.service());
                }
            }
            assertEquals(MANAGEMENT_PORT.get(keys.service()), String.valueOf(env.get("QUARKUS_MANAGEMENT_PORT")),
                    e.getKey() + ": management port per DESIGN-15");
            assertTrue(list(service.get("expose")).contains(MANAGEMENT_PORT.get(keys.service())),
                    e.getKey() + " exposes its management port to Prometheus");
            // The secret properties file it reads must be one of its own secrets.
            String locations = String.valueOf(env.get("QUARKUS_CONFIG_LOCATIONS"));
            String secret = locations.replaceFirst("^/run/secrets/", "");
            assertTrue(list(service.get("secrets")).contains(secret), e.getKey() + " reads " + locations);
        }
        assertTrue(checked > 20, "the services' variables were found");
        assertEquals(List.of(), problems);
    }

    @Test
    void composePostgresRunsWithTheLocalStacksCheckpointSettingsAndSharedBuffers() throws IOException {
        Map<String, Object> postgres = map(map(yaml(COMPOSE_DIR.resolve("compose.yaml")).get("services")).get("postgres"));
        List<Object> command = list(postgres.get("command"));
        assertEquals("postgres", command.get(0));
        Map<String, String> settings = new java.util.LinkedHashMap<>();
        for (int i = 1; i + 1 < command.size(); i += 2) {
            assertEquals("-c", command.get(i), "postgres -c name=value ...");
            String[] kv = String.valueOf(command.get(i + 1)).split("=", 2);
            settings.put(kv[0], kv[1]);
        }
        org.vitalvault.deploy.db.LocalPostgres.CHECKPOINT_SETTINGS.forEach((name, value) ->
                assertEquals(value, settings.get(name), name));
        assertTrue(settings.containsKey("shared_buffers"), "shared_buffers is sized, not PostgreSQL's 128MB");
    }

    @Test
    void theSecretPropertiesMakeSecretsWritesAreConfigKeysOfTheirService() throws IOException {
        String script = Files.readString(COMPOSE_DIR.resolve("make-secrets.sh"));
        Matcher file = Pattern.compile("keep (vault|gateway)\\.properties sh -c 'cat <<P\\n(.*?)\\nP'", Pattern.DOTALL)
                .matcher(script);
        List<String> problems = new ArrayList<>();
        int files = 0;
        while (file.find()) {
            files++;
            ServiceConfigKeys keys = keysOf(file.group(1).equals("vault") ? "vitalvault/vault-service" : "vitalvault/sensor-gateway");
            for (String line : file.group(2).split("\n")) {
                String key = line.substring(0, line.indexOf('='));
                if (!keys.knowsKey(key)) {
                    problems.add(file.group(1) + ".properties: " + key + " is no configuration key");
                }
            }
        }
        assertEquals(2, files);
        assertEquals(List.of(), problems);
    }

    @Test
    void prometheusScrapesTheManagementPortsTheServicesDeclare() throws IOException {
        Map<String, Object> services = map(yaml(COMPOSE_DIR.resolve("compose.yaml")).get("services"));
        Map<String, Object> prometheus = yaml(COMPOSE_DIR.resolve("prometheus/prometheus.yml"));
        Set<String> scraped = new TreeSet<>();
        for (Object job : list(prometheus.get("scrape_configs"))) {
            Map<String, Object> j = map(job);
            assertEquals("/q/metrics", j.get("metrics_path"), "job " + j.get("job_name"));
            for (Object sc : list(j.get("static_configs"))) {
                for (Object target : list(map(sc).get("targets"))) {
                    String[] hostPort = String.valueOf(target).split(":");
                    Map<String, Object> service = map(services.get(hostPort[0]));
                    assertFalse(service.isEmpty(), target + " names no compose service");
                    assertEquals(String.valueOf(map(service.get("environment")).get("QUARKUS_MANAGEMENT_PORT")),
                            hostPort[1], target + " is that service's management port");
                    scraped.add(hostPort[0]);
                }
            }
        }
        Set<String> instrumented = new TreeSet<>();
        services.forEach((name, s) -> {
            if (keysOf(String.valueOf(map(s).get("image"))) != null) {
                instrumented.add(name);
            }
        });
        assertEquals(instrumented, scraped, "every vault and gateway replica is scraped");
    }

    @Test
    void everyDashboardQueryNamesAMeterTheCodeRegisters() throws IOException {
        ObjectMapper json = new ObjectMapper();
        Map<String, Object> provider = map(list(yaml(COMPOSE_DIR.resolve("grafana/provisioning/dashboards/vitalvault.yaml"))
                .get("providers")).get(0));
        assertEquals("/var/lib/grafana/dashboards", map(provider.get("options")).get("path"));
        Map<String, Object> grafana = map(map(yaml(COMPOSE_DIR.resolve("compose.yaml")).get("services")).get("grafana"));
        assertTrue(list(grafana.get("volumes")).contains("./grafana/dashboards:/var/lib/grafana/dashboards:ro"),
                "the provider's folder is the mounted dashboards folder");
        Set<String> datasources = new TreeSet<>();
        for (Object d : list(yaml(COMPOSE_DIR.resolve("grafana/provisioning/datasources/prometheus.yaml")).get("datasources"))) {
            datasources.add(String.valueOf(map(d).get("uid")));
        }
        Pattern metric = Pattern.compile("\\bvitalvault_[a-z0-9_]+");
        List<String> problems = new ArrayList<>();
        Set<String> titles = new TreeSet<>();
        try (Stream<Path> files = Files.list(COMPOSE_DIR.resolve("grafana/dashboards"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                for (JsonNode panel : json.readTree(f.toFile()).get("panels")) {
                    titles.add(panel.get("title").asText());
                    for (JsonNode target : panel.get("targets")) {
                        String uid = target.path("datasource").path("uid").asText();
                        if (!datasources.contains(uid)) {
                            problems.add(panel.get("title").asText() + ": unknown datasource " + uid);
                        }
                        String expr = target.get("expr").asText();
                        Matcher m = metric.matcher(expr);
                        boolean any = false;
                        while (m.find()) {
                            any = true;
                            if (!meters.contains(m.group())) {
                                problems.add(panel.get("title").asText() + ": " + m.group() + " is registered nowhere");
                            }
                        }
                        if (!any) {
                            problems.add(panel.get("title").asText() + ": " + expr + " names no vitalvault meter");
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), problems);
        assertTrue(titles.containsAll(Set.of("Ingest rate", "Rejections by reason", "Commit latency", "Compaction backlog",
                "Query phases", "ε spent")), () -> "panels: " + titles);
    }

    // ---------------------------------------------------------------- Kubernetes

    @Test
    void kubernetesPodsReferenceOnlySecretsConfigMapsAndVolumesThatExist() throws IOException {
        Map<String, Map<String, Object>> objects = k8s();
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> workload : workloads(objects)) {
            String w = kindName(workload);
            Map<String, Object> pod = podSpec(workload);
            Set<String> podVolumes = new TreeSet<>();
            for (Object v : list(pod.get("volumes"))) {
                Map<String, Object> vol = map(v);
                podVolumes.add(String.valueOf(vol.get("name")));
                if (vol.containsKey("secret") && !objects.containsKey("Secret/" + map(vol.get("secret")).get("secretName"))) {
                    problems.add(w + ": volume of missing Secret " + map(vol.get("secret")).get("secretName"));
                }
                Object claim = map(vol.get("persistentVolumeClaim")).get("claimName");
                if (claim != null && !objects.containsKey("PersistentVolumeClaim/" + claim)) {
                    problems.add(w + ": volume of missing PersistentVolumeClaim " + claim);
                }
                if (vol.containsKey("configMap") && !objects.containsKey("ConfigMap/" + map(vol.get("configMap")).get("name"))) {
                    problems.add(w + ": volume of missing ConfigMap " + map(vol.get("configMap")).get("name"));
                }
            }
            for (Object c : list(pod.get("containers"))) {
                Map<String, Object> container = map(c);
                for (Object m : list(container.get("volumeMounts"))) {
                    if (!podVolumes.contains(String.valueOf(map(m).get("name")))) {
                        problems.add(w + ": mount of undeclared volume " + map(m).get("name"));
                    }
                }
                for (Object ef : list(container.get("envFrom"))) {
                    Object ref = map(ef).get("configMapRef");
                    if (ref != null && !objects.containsKey("ConfigMap/" + map(ref).get("name"))) {
                        problems.add(w + ": envFrom missing ConfigMap " + map(ref).get("name"));
                    }
                }
                for (Object e : list(container.get("env"))) {
                    Map<String, Object> ref = map(map(map(e).get("valueFrom")).get("secretKeyRef"));
                    if (!ref.isEmpty()) {
                        Map<String, Object> secret = objects.get("Secret/" + ref.get("name"));
                        if (secret == null) {
                            problems.add(w + ": " + map(e).get("name") + " from missing Secret " + ref.get("name"));
                        } else if (!secretKeys(secret).contains(String.valueOf(ref.get("key")))) {
                            problems.add(w + ": Secret " + ref.get("name") + " has no key " + ref.get("key"));
                        }
                    }
                }
            }
        }
        for (Map<String, Object> service : ofKind(objects, "Service")) {
            Map<String, Object> selector = map(map(service.get("spec")).get("selector"));
            List<Map<String, Object>> selected = workloads(objects).stream()
                    .filter(w -> map(map(map(map(w.get("spec")).get("template")).get("metadata")).get("labels"))
                            .entrySet().containsAll(selector.entrySet())).toList();
            if (selected.isEmpty()) {
                problems.add(kindName(service) + " selects no pods");
            }
            for (Object p : list(map(service.get("spec")).get("ports"))) {
                Object target = map(p).get("targetPort");
                for (Map<String, Object> w : selected) {
                    if (target != null && containerPort(firstContainer(w), target) == null) {
                        problems.add(kindName(service) + ": targetPort " + target + " is no port of " + kindName(w));
                    }
                }
            }
        }
        for (Map<String, Object> set : ofKind(objects, "StatefulSet")) {
            if (!objects.containsKey("Service/" + map(set.get("spec")).get("serviceName"))) {
                problems.add(kindName(set) + ": serviceName names no Service");
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void everyProbeAndScrapeHitsTheDeclaredManagementPortWithAHealthPath() throws IOException {
        Map<String, Map<String, Object>> objects = k8s();
        List<String> problems = new ArrayList<>();
        int probes = 0;
        for (Map<String, Object> workload : workloads(objects)) {
            String w = kindName(workload);
            Map<String, Object> container = firstContainer(workload);
            ServiceConfigKeys keys = keysOf(String.valueOf(container.get("image")));
            String management = MANAGEMENT_PORT.get(keys.service());
            assertEquals(management, envOf(objects, container).get("QUARKUS_MANAGEMENT_PORT"), w + " management port");
            for (String kind : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                Map<String, Object> get = map(map(container.get(kind)).get("httpGet"));
                if (get.isEmpty()) {
                    problems.add(w + " has no " + kind);
                    continue;
                }
                probes++;
                Integer port = containerPort(container, get.get("port"));
                if (port == null || !String.valueOf(port).equals(management)) {
                    problems.add(w + " " + kind + " port " + get.get("port") + " is not the declared management port");
                }
                if (!HEALTH_PATHS.contains(String.valueOf(get.get("path")))) {
                    problems.add(w + " " + kind + " path " + get.get("path") + " is no health path");
                }
            }
            Map<String, Object> annotations = map(map(map(map(workload.get("spec")).get("template")).get("metadata"))
                    .get("annotations"));
            if (!management.equals(String.valueOf(annotations.get("prometheus.io/port")))
                    || containerPort(container, Integer.valueOf(management)) == null) {
                problems.add(w + ": Prometheus scrapes port " + annotations.get("prometheus.io/port"));
            }
            if (!"/q/metrics".equals(annotations.get("prometheus.io/path"))) {
                problems.add(w + ": metrics path " + annotations.get("prometheus.io/path"));
            }
            if (map(container.get("resources")).get("requests") == null || map(map(container.get("resources")).get("limits")).get("memory") == null) {
                problems.add(w + " has no resource requests or memory limit");
            }
        }
        assertEquals(6, probes);
        assertEquals(List.of(), problems);
    }

    @Test
    void everyVariableKubernetesGivesAServiceIsAConfigKeyOfThatService() throws IOException {
        Map<String, Map<String, Object>> objects = k8s();
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> workload : workloads(objects)) {
            Map<String, Object> container = firstContainer(workload);
            ServiceConfigKeys keys = keysOf(String.valueOf(container.get("image")));
            for (String name : envOf(objects, container).keySet()) {
                if (!keys.knowsEnv(name)) {
                    problems.add(kindName(workload) + ": " + name + " is no configuration key of " + keys.service());
                }
            }
        }
        Map<String, Object> vault = objects.get("Deployment/vault");
        assertEquals(2, map(vault.get("spec")).get("replicas"), "two vault replicas");
        Map<String, Object> gateway = objects.get("StatefulSet/gateway");
        assertEquals("metadata.name", map(map(map(envEntry(firstContainer(gateway), "VITALVAULT_GATEWAY_MQTT_CLIENT_ID")
                .get("valueFrom")).get("fieldRef"))).get("fieldPath"), "each gateway replica has its own stable client id");
        assertEquals(List.of(), problems);
    }

    @Test
    void kustomizationListsOnlyFilesThatExist() throws IOException {
        for (Object r : list(yaml(K8S_DIR.resolve("kustomization.yaml")).get("resources"))) {
            assertTrue(Files.exists(K8S_DIR.resolve(String.valueOf(r))), String.valueOf(r));
        }
    }

    // ---------------------------------------------------------------- helpers

    private static boolean generatedOrPresent(String file, String makeSecrets) {
        if (Files.exists(COMPOSE_DIR.resolve(file))) {
            return true;
        }
        String name = Path.of(file).getFileName().toString();
        return file.startsWith("./secrets/") && Pattern.compile("(keep|for f in)[^\\n]*\\b" + Pattern.quote(name) + "\\b")
                .matcher(makeSecrets.replace("\\\n", " ")).find();
    }

    private static ServiceConfigKeys keysOf(String image) {
        return configByImage.get(image.split(":")[0]);
    }

    /** Every variable a container gets: its ConfigMaps' keys and its own env entries. */
    private static Map<String, String> envOf(Map<String, Map<String, Object>> objects, Map<String, Object> container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (Object ef : list(container.get("envFrom"))) {
            Map<String, Object> cm = objects.get("ConfigMap/" + map(map(ef).get("configMapRef")).get("name"));
            if (cm != null) {
                map(cm.get("data")).forEach((k, v) -> env.put(k, String.valueOf(v)));
            }
        }
        for (Object e : list(container.get("env"))) {
            env.put(String.valueOf(map(e).get("name")), String.valueOf(map(e).get("value")));
        }
        return env;
    }

    private static Map<String, Object> envEntry(Map<String, Object> container, String name) {
        return list(container.get("env")).stream().map(DeploymentFilesTest::map)
                .filter(e -> name.equals(e.get("name"))).findFirst().orElseThrow(() -> new AssertionError("no " + name));
    }

    private static Set<String> secretKeys(Map<String, Object> secret) {
        Set<String> keys = new TreeSet<>(map(secret.get("stringData")).keySet());
        keys.addAll(map(secret.get("data")).keySet());
        return keys;
    }

    /** The container port a probe or Service names (by name or number), or null. */
    private static Integer containerPort(Map<String, Object> container, Object port) {
        for (Object p : list(container.get("ports"))) {
            Map<String, Object> cp = map(p);
            if (Objects.equals(cp.get("name"), port) || Objects.equals(cp.get("containerPort"), port)) {
                return (Integer) cp.get("containerPort");
            }
        }
        return null;
    }

    private static Map<String, Map<String, Object>> k8s() throws IOException {
        Map<String, Map<String, Object>> objects = new HashMap<>();
        try (Stream<Path> files = Files.list(K8S_DIR)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml") && !p.endsWith("kustomization.yaml")).toList()) {
                try (Reader r = Files.newBufferedReader(f)) {
                    for (Object doc : new Yaml(new LoaderOptions()).loadAll(r)) {
                        if (doc != null) {
                            Map<String, Object> o = map(doc);
                            String key = kindName(o);
                            if (objects.put(key, o) != null) {
                                fail(key + " is declared twice");
                            }
                        }
                    }
                }
            }
        }
        return objects;
    }

    private static List<Map<String, Object>> workloads(Map<String, Map<String, Object>> objects) {
        List<Map<String, Object>> w = new ArrayList<>(ofKind(objects, "Deployment"));
        w.addAll(ofKind(objects, "StatefulSet"));
        assertEquals(2, w.size(), "the vault and the gateway");
        return w;
    }

    private static List<Map<String, Object>> ofKind(Map<String, Map<String, Object>> objects, String kind) {
        return objects.entrySet().stream().filter(e -> e.getKey().startsWith(kind + "/")).map(Map.Entry::getValue).toList();
    }

    private static Map<String, Object> podSpec(Map<String, Object> workload) {
        return map(map(map(workload.get("spec")).get("template")).get("spec"));
    }

    private static Map<String, Object> firstContainer(Map<String, Object> workload) {
        return map(list(podSpec(workload).get("containers")).get(0));
    }

    private static String kindName(Map<String, Object> o) {
        return o.get("kind") + "/" + map(o.get("metadata")).get("name");
    }

    private static Map<String, Object> yaml(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file)) {
            return map(new Yaml(new LoaderOptions()).load(r));
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return o == null ? Map.of() : (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        return o == null ? List.of() : (List<Object>) o;
    }
}
