package org.vitalvault.deploy.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vitalvault.deploy.TestFolders;
import org.vitalvault.deploy.stack.LocalStack;
import org.vitalvault.deploy.stack.VaultClient;

/**
 * The C device node against the real local stack (embedded PostgreSQL, embedded HiveMQ, the
 * gateway and vault processes): 600 readings published across two gateway crashes and a crash of
 * the node itself, with resends while the gateway is down, are each stored exactly once, and the
 * node ends with an empty buffer (exit 0).
 */
class CNodeIT {

    private static final int READINGS = 600;
    private static final Pattern PENDING = Pattern.compile("; (\\d+) pending");

    private static LocalStack stack;

    @BeforeAll
    static void start() throws Exception {
        CNode.binary(); // skip (assumption) before starting a stack when the node cannot be built
        Path repo = CNode.repo();
        Path data = TestFolders.create("c-node");
        stack = LocalStack.start(new LocalStack.Options(repo, data, Optional.empty(), "postgres", "", Optional.empty(),
                Optional.empty(), Optional.empty(), 0, 0, freePort(), freePort(), Map.of()));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            try {
                stack.close();
            } finally {
                TestFolders.delete(stack.dataDir());
            }
        }
    }

    @Test
    void everyReadingIsStoredOnceAndTheBufferEmptiesAcrossGatewayCrashesAndANodeCrash() throws Exception {
        VaultClient vault = new VaultClient(stack.vaultUrl());
        String token = vault.devToken("c-node-" + UUID.randomUUID(), "owner");
        UUID owner = vault.registerOrFind(token);
        VaultClient.Pairing device = vault.pair(token, owner, "C node", true);
        Path buffer = stack.dataDir().resolve("vv-node.buf");
        long startSeconds = System.currentTimeMillis() / 1000 - 3600; // an hour of readings, one a second, 600 of them
        Path log1 = stack.dataDir().resolve("vv-node-1.log");

        // 1. The node buffers 600 readings and publishes them, 20 a message, about 40 a second.
        Process node = startNode(device, buffer, log1, List.of("--generate", Integer.toString(READINGS),
                "--start-time", Long.toString(startSeconds)));
        awaitLog(node, log1, "150 readings confirmed", out -> between(lastPending(out), 0, READINGS - 150));
        // 2. The gateway crashes midway; the node's next message reaches the broker and goes unanswered.
        stack.killGateway();
        Thread.sleep(3000);
        // 3. The node crashes too (SIGKILL): only its buffer file remembers what is not yet confirmed.
        node.destroyForcibly().waitFor();
        long pendingAtCrash = lastPending(Files.readString(log1));
        assertTrue(between(pendingAtCrash, 1, READINGS - 1), "the node crashed midway: " + pendingAtCrash);
        // 4. The node restarts on its buffer alone while the gateway is still down: no receipt comes,
        //    so it publishes the same readings again (the vault must read each once).
        Path log2 = stack.dataDir().resolve("vv-node-2.log");
        Process again = startNode(device, buffer, log2, List.of());
        awaitLog(again, log2, "a resend", out -> out.contains("no receipt within"));
        // 5. The gateway comes back; later it crashes once more and restarts under the running node.
        stack.restartGateway();
        awaitLog(again, log2, "200 readings left", out -> between(lastPending(out), 0, 200));
        stack.killGateway();
        stack.restartGateway();
        if (!again.waitFor(600, TimeUnit.SECONDS)) {
            again.destroyForcibly().waitFor();
            fail("the node did not empty its buffer in 600 s:\n" + Files.readString(log2));
        }
        String output = Files.readString(log2, StandardCharsets.UTF_8);
        System.out.println("node, first run:\n" + Files.readString(log1) + "node, after its crash:\n" + output);

        assertEquals(0, again.exitValue(), "exit 0 = buffer empty:\n" + output);
        assertEquals(16, Files.size(buffer), "the buffer file is back to its 16-byte header");
        Set<Long> expected = new HashSet<>();
        for (int i = 0; i < READINGS; i++) {
            expected.add((startSeconds + i) * 1000);
        }
        assertEquals(expected, storedTimes(vault, token, owner, startSeconds), "exactly the 600 readings, each once");
    }

    @Test
    void readingsRejectedForGoodAreDroppedAndTheBufferEmpties() throws Exception {
        VaultClient vault = new VaultClient(stack.vaultUrl());
        String token = vault.devToken("c-node-range-" + UUID.randomUUID(), "owner");
        UUID owner = vault.registerOrFind(token);
        VaultClient.Pairing device = vault.pair(token, owner, "C node, broken sensor", true);
        Path buffer = stack.dataDir().resolve("vv-node-range.buf");
        Path log = stack.dataDir().resolve("vv-node-range.log");
        long startSeconds = System.currentTimeMillis() / 1000 - 600;

        Process node = startNode(device, buffer, log, List.of("--generate", "5", "--value", "999",
                "--start-time", Long.toString(startSeconds)));

        String output = finish(node, log);
        assertEquals(0, node.exitValue(), "out-of-range is final: the buffer empties:\n" + output);
        assertTrue(output.contains("rejected as out-of-range; dropped"), output);
        assertEquals(16, Files.size(buffer));
        assertEquals(Set.of(), storedTimes(vault, token, owner, startSeconds));
    }

    @Test
    void aNodeWithTheWrongKeyStopsAndKeepsItsReadings() throws Exception {
        VaultClient vault = new VaultClient(stack.vaultUrl());
        String token = vault.devToken("c-node-key-" + UUID.randomUUID(), "owner");
        UUID owner = vault.registerOrFind(token);
        VaultClient.Pairing device = vault.pair(token, owner, "C node, wrong key", true);
        byte[] wrongKey = device.macKey().clone();
        wrongKey[0] ^= 1;
        Path buffer = stack.dataDir().resolve("vv-node-key.buf");
        Path log = stack.dataDir().resolve("vv-node-key.log");

        Process node = startNode(device, wrongKey, buffer, log, List.of("--generate", "10"));

        String output = finish(node, log);
        assertEquals(3, node.exitValue(), "mac-invalid halts the node:\n" + output);
        assertTrue(output.contains("mac-invalid"), output);
        assertEquals(16 + 10 * 64, Files.size(buffer), "all 10 readings still buffered");
    }

    private static String finish(Process node, Path log) throws Exception {
        if (!node.waitFor(300, TimeUnit.SECONDS)) {
            node.destroyForcibly().waitFor();
            fail("the node did not finish in 300 s:\n" + Files.readString(log));
        }
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    private Process startNode(VaultClient.Pairing device, Path buffer, Path log, List<String> extra)
            throws IOException, InterruptedException {
        return startNode(device, device.macKey(), buffer, log, extra);
    }

    private Process startNode(VaultClient.Pairing device, byte[] macKey, Path buffer, Path log, List<String> extra)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if (Boolean.getBoolean("vitalvault.cnode.valgrind")) {
            // -Dvitalvault.cnode.valgrind=true: a leak or memory error makes the node exit 99, failing the test.
            command.addAll(List.of("valgrind", "-q", "--leak-check=full", "--errors-for-leak-kinds=definite",
                    "--error-exitcode=99"));
        }
        command.addAll(List.of(CNode.binary().toString(),
                "--url", stack.mqttUrl(), "--device", device.deviceId().toString(),
                "--buffer", buffer.toString(), "--pack", "20", "--rate", "40",
                "--receipt-timeout", "10", "--timeout", "540", "--verbose"));
        command.addAll(extra);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        // Secrets through the environment, not the command line (where ps shows them).
        pb.environment().put("VV_CREDENTIAL", device.credential());
        pb.environment().put("VV_MAC_KEY", HexFormat.of().formatHex(macKey));
        return pb.start();
    }

    /** Waits until the node's output satisfies {@code condition}; fails if the node ends first. */
    private static void awaitLog(Process node, Path log, String what, Predicate<String> condition) throws Exception {
        long deadline = System.currentTimeMillis() + 300_000;
        while (System.currentTimeMillis() < deadline) {
            String out = Files.readString(log, StandardCharsets.UTF_8);
            if (condition.test(out)) {
                return;
            }
            if (!node.isAlive()) {
                fail("the node ended (" + node.exitValue() + ") before " + what + ":\n" + out);
            }
            Thread.sleep(100);
        }
        fail("no " + what + " from the node in 300 s:\n" + Files.readString(log));
    }

    /** The last "N pending" the node reported, -1 before its first receipt. */
    private static long lastPending(String output) {
        Matcher m = PENDING.matcher(output);
        long last = -1;
        while (m.find()) {
            last = Long.parseLong(m.group(1));
        }
        return last;
    }

    private static boolean between(long value, long low, long high) {
        return value >= low && value <= high;
    }

    /** Device times the owner reads back; fails if any reading is read twice. */
    private static Set<Long> storedTimes(VaultClient vault, String token, UUID owner, long startSeconds) throws Exception {
        VaultClient.Reply r = vault.readings(token, owner, "heart_rate", Instant.ofEpochSecond(startSeconds - 60),
                Instant.now().plusSeconds(300));
        assertEquals(200, r.status(), () -> String.valueOf(r.body()));
        Set<Long> times = new HashSet<>();
        for (JsonNode reading : r.body().get("readings")) {
            long t = Instant.parse(reading.get("time").asText()).toEpochMilli();
            if (!times.add(t)) {
                fail("the reading at " + t + " is read twice");
            }
        }
        return times;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
