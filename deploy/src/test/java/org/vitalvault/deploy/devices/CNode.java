package org.vitalvault.deploy.devices;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The C device node of {@code deploy/devices/c}, built with its Makefile into {@code target/}.
 * A machine without gcc, make or the Debian libraries ({@code libpaho-mqtt-dev libcbor-dev
 * libssl-dev}) skips the tests that need it, saying which; a compile error is a failure.
 */
final class CNode {

    private static Path binary;

    private CNode() {
    }

    static Path repo() {
        return Path.of(System.getProperty("vitalvault.repo", "..")).toAbsolutePath().normalize();
    }

    /** Builds vv-node once per JVM and returns its path. */
    static synchronized Path binary() throws IOException, InterruptedException {
        if (binary != null) {
            return binary;
        }
        assumeTrue(onPath("gcc") && onPath("make"), "gcc and make are needed to build the C device node");
        Path build = repo().resolve("deploy/target/vv-node-build").toAbsolutePath();
        Result make = run(List.of("make", "-C", repo().resolve("deploy/devices/c").toString(), "BUILD=" + build), 300);
        String out = make.output();
        assumeTrue(make.exitCode() == 0 || !missingLibrary(out),
                "the C device node needs: apt-get install libpaho-mqtt-dev libcbor-dev libssl-dev\n" + out);
        if (make.exitCode() != 0) {
            throw new IllegalStateException("make failed for deploy/devices/c:\n" + out);
        }
        binary = build.resolve("vv-node");
        return binary;
    }

    private static boolean missingLibrary(String makeOutput) {
        return makeOutput.contains("MQTTClient.h") || makeOutput.contains("cbor.h") || makeOutput.contains("openssl/")
                || makeOutput.contains("cannot find -l");
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** A finished process: its exit code and its stdout and stderr together. */
    record Result(int exitCode, String output) {
    }

    static Result run(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        Path log = Files.createTempFile("vv-node", ".log");
        try {
            Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new IllegalStateException(command.get(0) + " did not finish in " + timeoutSeconds + " s:\n"
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
