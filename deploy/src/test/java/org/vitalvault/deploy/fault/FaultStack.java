package org.vitalvault.deploy.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.vitalvault.deploy.TestFolders;
import org.vitalvault.deploy.stack.GatewayProgress;
import org.vitalvault.deploy.stack.LocalStack;
import org.vitalvault.deploy.stack.VaultClient;

/** The real local stack for a fault test, and the check that every acknowledged reading is stored once. */
final class FaultStack {

    private FaultStack() {
    }

    /**
     * Starts the stack with no device quota unless {@code gatewayProperties} sets one: the fault
     * tests publish 20,000 readings per device as fast as the broker takes them, to check that
     * every acknowledged reading survives a fault; with the default quota (200 readings/s, 60 s
     * burst) part of them would be refused {@code rate-limited} after the broker acknowledged them,
     * which is the quota working, not a loss. The quota has its own test (HostileDeviceIT).
     */
    static LocalStack start(String name, Map<String, String> gatewayProperties) throws Exception {
        Path repo = Path.of(System.getProperty("vitalvault.repo", "..")).toAbsolutePath().normalize();
        Path data = TestFolders.create(name);
        Map<String, String> properties = new HashMap<>(Map.of(
                "vitalvault.gateway.limits.device-readings-per-second", "0",
                "vitalvault.gateway.limits.device-bytes-per-second", "0"));
        properties.putAll(gatewayProperties);
        return LocalStack.start(new LocalStack.Options(repo, data, Optional.empty(), "postgres", "", Optional.empty(),
                Optional.empty(), Optional.empty(), 0, 0, freePort(), freePort(), Map.copyOf(properties)));
    }

    /** Stops the stack, then deletes its data folder (PostgreSQL, broker, logs: hundreds of MB). */
    static void stop(LocalStack stack) {
        if (stack != null) {
            try {
                stack.close();
            } finally {
                TestFolders.delete(stack.dataDir());
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /**
     * Waits until each device's stored readings include everything the broker acknowledged, then
     * checks that each reading is read exactly once and that nothing was stored that was never
     * published.
     */
    static void assertEveryAcknowledgedReadingStoredOnce(LocalStack stack, VaultClient vault,
                                                         List<TestFleet.Member> fleet,
                                                         LoadPublisher load, long timeoutMillis) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        System.out.printf("%d readings acknowledged by the broker, %d publishes retried%n",
                load.acknowledgedReadings(), load.retries());
        for (TestFleet.Member m : fleet) {
            Set<Long> expected = load.acknowledgedTimes(m.device().deviceId());
            Set<Long> stored;
            while (true) {
                stored = storedTimes(vault, m, load);
                if (stored.containsAll(expected) || System.currentTimeMillis() > deadline) {
                    break;
                }
                Thread.sleep(500);
            }
            Set<Long> missing = new HashSet<>(expected);
            missing.removeAll(stored);
            if (!missing.isEmpty()) {
                fail(missing.size() + " of " + expected.size() + " acknowledged readings of device "
                        + m.device().deviceId() + " are not stored; gateway: " + gatewayState(stack));
            }
        }
    }

    /** Device times the owner reads back; fails if any identity appears twice. */
    static Set<Long> storedTimes(VaultClient vault, TestFleet.Member m, LoadPublisher load) throws Exception {
        VaultClient.Reply r = vault.readings(m.token(), m.ownerId(), "heart_rate",
                Instant.ofEpochMilli(load.baseTimeMillis() - 60_000), Instant.now().plusSeconds(300));
        assertEquals(200, r.status(), () -> String.valueOf(r.body()));
        Set<Long> times = new HashSet<>();
        for (JsonNode reading : r.body().get("readings")) {
            long t = Instant.parse(reading.get("time").asText()).toEpochMilli();
            if (!times.add(t)) {
                fail("reading at " + t + " of device " + m.device().deviceId() + " is read twice");
            }
        }
        long published = (long) (load.totalReadings() / Math.max(1, load.fleetSize()));
        if (times.size() > published) {
            fail("device " + m.device().deviceId() + " has " + times.size() + " readings but published " + published);
        }
        return times;
    }

    /** What the surviving gateway says it did, so a failure report says where readings went. */
    private static String gatewayState(LocalStack stack) {
        try {
            GatewayProgress.Snapshot s = new GatewayProgress(stack.gatewayManagementUrl()).read();
            return "stored " + (long) s.readingsStored() + " readings in " + (long) s.messagesCommitted()
                    + " messages, rejected " + s.rejectedByReason();
        } catch (Exception e) {
            return "unreadable (" + e + ")";
        }
    }

    static double stored(LocalStack stack) throws Exception {
        return new GatewayProgress(stack.gatewayManagementUrl()).read().readingsStored();
    }
}
