package org.vitalvault.deploy.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.vitalvault.deploy.TestFolders;

/**
 * No secret on a child's command line (issue 15): what {@code ps} shows every local user. The
 * child is a stand-in service ({@link EnvironmentEcho}) started exactly as the local stack starts
 * vault-service and sensor-gateway.
 */
class ServiceProcessTest {

    private static final String DB_PASSWORD = "db-password-" + System.nanoTime();
    private static final String ADMIN_PASSWORD = "admin-password-" + System.nanoTime();

    @Test
    void secretsReachTheServiceInItsEnvironmentAndNeverItsCommandLine() throws Exception {
        Path dir = TestFolders.create("service-process");
        try {
            Path jar = standInJar(dir);
            Path log = dir.resolve("logs/echo.log");
            try (ServiceProcess p = ServiceProcess.start("echo", jar, Map.of("quarkus.http.port", "18099"),
                    Map.of("quarkus.datasource.password", DB_PASSWORD, "vitalvault.broker.admin-password", ADMIN_PASSWORD),
                    log)) {
                String output = awaitLine(log, "ready");
                assertTrue(output.contains("QUARKUS_DATASOURCE_PASSWORD=" + DB_PASSWORD), output);
                assertTrue(output.contains("VITALVAULT_BROKER_ADMIN_PASSWORD=" + ADMIN_PASSWORD), output);
                assertTrue(output.contains("quarkus.http.port=18099"), output);

                ProcessHandle.Info info = ProcessHandle.of(p.pid()).orElseThrow().info();
                List<String> arguments = List.of(info.arguments().orElseThrow());
                assertTrue(arguments.contains("-Dquarkus.http.port=18099"), "plain settings stay flags: " + arguments);
                String cmdline = Files.readString(Path.of("/proc/" + p.pid() + "/cmdline"), StandardCharsets.UTF_8);
                for (String seen : List.of(String.join(" ", arguments), info.commandLine().orElse(""), cmdline)) {
                    assertFalse(seen.contains(DB_PASSWORD), seen);
                    assertFalse(seen.contains(ADMIN_PASSWORD), seen);
                    assertFalse(seen.toLowerCase().contains("password"), seen);
                }
            }
        } finally {
            TestFolders.delete(dir);
        }
    }

    @Test
    void aPasswordGivenAsAPlainPropertyIsRefusedBeforeAnythingStarts() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServiceProcess.start("x",
                Path.of("missing.jar"), Map.of("vitalvault.gateway.mqtt.password", "s3cret-value"), Path.of("target/x.log")));
        assertTrue(e.getMessage().contains("vitalvault.gateway.mqtt.password"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cret-value"), "the refusal does not repeat the secret");
    }

    @Test
    void secretsAreNamedAsQuarkusReadsThemFromTheEnvironment() {
        assertEquals("QUARKUS_DATASOURCE_PASSWORD", ServiceProcess.environmentName("quarkus.datasource.password"));
        assertEquals("QUARKUS_FLYWAY_PASSWORD", ServiceProcess.environmentName("quarkus.flyway.password"));
        assertEquals("VITALVAULT_GATEWAY_MQTT_PASSWORD", ServiceProcess.environmentName("vitalvault.gateway.mqtt.password"));
        assertEquals("VITALVAULT_BROKER_ADMIN_PASSWORD", ServiceProcess.environmentName("vitalvault.broker.admin-password"));
        assertEquals("QUARKUS_DATASOURCE__USERS__PASSWORD", ServiceProcess.environmentName("quarkus.datasource.\"users\".password"));
    }

    /** A quarkus-run.jar stand-in: a manifest whose class path is this module's test classes. */
    private static Path standInJar(Path dir) throws IOException {
        Path testClasses = Path.of(EnvironmentEcho.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        Path jar = dir.resolve("quarkus-app/quarkus-run.jar");
        Files.createDirectories(jar.getParent());
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, EnvironmentEcho.class.getName());
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH,
                jar.getParent().toAbsolutePath().relativize(testClasses.toAbsolutePath()).toString() + "/");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream ignored = new JarOutputStream(out, manifest)) {
            // the manifest is all it needs
        }
        return jar;
    }

    private static String awaitLine(Path log, String line) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log)) {
                String text = Files.readString(log);
                if (text.lines().anyMatch(line::equals)) {
                    return text;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the stand-in service did not start; log: "
                + (Files.exists(log) ? Files.readString(log) : "none"));
    }
}
