package org.vitalvault.deploy.files;

import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The configuration keys one service really reads, as environment variable names: its typed
 * mapping (VaultConfig, GatewayConfig: every leaf, kebab-cased as SmallRye names them), every key
 * of its application.properties, the variables those properties expand ({@code ${VITALVAULT_DB_URL:…}}),
 * and the Quarkus/MicroProfile keys a deployment sets that the application does not name (listed
 * here, each a documented runtime key of an extension the service has).
 */
record ServiceConfigKeys(String service, Set<String> envNames, Set<String> keys) {

    /** Quarkus, MicroProfile and SmallRye runtime keys the deployment files set. */
    static final Set<String> PLATFORM_KEYS = Set.of(
            "quarkus.config.locations",                 // extra properties files (the secret files)
            "quarkus.http.host", "quarkus.http.port", "quarkus.http.ssl-port",
            "quarkus.http.ssl.certificate.files", "quarkus.http.ssl.certificate.key-files",
            "quarkus.management.host", "quarkus.management.port",
            "quarkus.datasource.jdbc.url", "quarkus.datasource.username", "quarkus.datasource.password",
            "quarkus.flyway.username", "quarkus.flyway.password",   // vault only: see forService
            "quarkus.oidc.token.issuer");                // the issuer when browsers see another host (compose)

    /** Not configuration, read by the JVM itself. */
    static final Set<String> JVM_ENV = Set.of("JAVA_TOOL_OPTIONS");

    private static final Pattern EXPANSION = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]");

    static ServiceConfigKeys of(Path repo, String module, String mappingClass) throws IOException {
        Set<String> keys = new TreeSet<>();
        Set<String> env = new TreeSet<>();
        Path properties = repo.resolve(module).resolve("src/main/resources/application.properties");
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(properties)) {
            p.load(r);
        }
        for (String k : p.stringPropertyNames()) {
            keys.add(k.startsWith("%") ? k.substring(k.indexOf('.') + 1) : k);
            Matcher m = EXPANSION.matcher(p.getProperty(k));
            while (m.find()) {
                env.add(m.group(1));
            }
        }
        try {
            Class<?> mapping = Class.forName(mappingClass);
            String prefix = mappingClass.endsWith("GatewayConfig") ? "vitalvault.gateway" : "vitalvault";
            leaves(mapping, prefix, keys);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(mappingClass + " is not on the test classpath", e);
        }
        for (String k : PLATFORM_KEYS) {
            if (k.startsWith("quarkus.flyway.") && !module.equals("vault-service")) {
                continue;   // the gateway has no Flyway
            }
            if ((k.startsWith("quarkus.oidc.") || k.startsWith("quarkus.http.ssl"))
                    && !module.equals("vault-service")) {
                continue;   // the gateway verifies no tokens and serves no API
            }
            keys.add(k);
        }
        keys.forEach(k -> env.add(envName(k)));
        env.addAll(JVM_ENV);
        return new ServiceConfigKeys(module, env, keys);
    }

    /** Every leaf of a @ConfigMapping interface under {@code prefix} (nested interfaces are groups). */
    private static void leaves(Class<?> group, String prefix, Set<String> out) {
        for (Method m : group.getDeclaredMethods()) {
            if (m.isDefault() || java.lang.reflect.Modifier.isStatic(m.getModifiers()) || m.getParameterCount() > 0) {
                continue;
            }
            String key = prefix + "." + kebab(m.getName());
            Class<?> type = m.getReturnType();
            if (type.isInterface() && type.getName().startsWith(group.getName().split("\\$")[0])) {
                leaves(type, key, out);
            } else {
                out.add(key);
            }
        }
    }

    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    /** SmallRye's environment name of a key: every character not a letter or digit becomes '_', upper case. */
    static String envName(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    boolean knowsEnv(String name) {
        return envNames.contains(name);
    }

    boolean knowsKey(String key) {
        return keys.contains(key);
    }
}
