package org.vitalvault.deploy.app;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.vitalvault.deploy.TestFolders;
import org.vitalvault.deploy.simulator.Fleet;
import org.vitalvault.deploy.simulator.FleetSimulator;
import org.vitalvault.deploy.simulator.HistoryPublisher;
import org.vitalvault.deploy.simulator.SimulationSettings;
import org.vitalvault.deploy.stack.LocalStack;
import org.vitalvault.deploy.stack.VaultClient;

/**
 * The one local stack every browser test of a JVM shares (real PostgreSQL, embedded HiveMQ, the
 * vault's local build, the gateway), started by the first {@link #get()} and stopped by a shutdown
 * hook: a stack start costs tens of seconds, and the browser tests together must stay within a few
 * minutes of CI. Tests sharing it keep apart by subject: each signs in as owners of its own.
 *
 * <p>It also runs one simulated owner ({@link #simulatedOwner()}, subject {@code sim-owner-1}) with
 * the simulator's four devices publishing live, and two hours of history published at start, so
 * a test that signs in as that owner finds heart rate on the home page and a chart with data.
 */
public final class AppStack {

    private static AppStack shared;

    private final LocalStack stack;
    private final VaultClient vault;
    private final Fleet.SimOwner simulated;
    private final FleetSimulator simulator;

    private AppStack(LocalStack stack, VaultClient vault, Fleet.SimOwner simulated, FleetSimulator simulator) {
        this.stack = stack;
        this.vault = vault;
        this.simulated = simulated;
        this.simulator = simulator;
    }

    /** The shared stack, started on first use. */
    public static synchronized AppStack get() throws IOException, InterruptedException {
        if (shared == null) {
            shared = start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "app-stack-stop"));
        }
        return shared;
    }

    private static AppStack start() throws IOException, InterruptedException {
        Path repo = Path.of(System.getProperty("vitalvault.repo", "..")).toAbsolutePath().normalize();
        Path data = TestFolders.create("app");
        LocalStack stack = LocalStack.start(new LocalStack.Options(repo, data, Optional.empty(), "postgres", "",
                Optional.empty(), Optional.empty(), Optional.empty(), 0, 0, freePort(), freePort(),
                Map.of("vitalvault.gateway.mqtt.client-id", "app-gateway-" + UUID.randomUUID())));
        try {
            VaultClient vault = new VaultClient(stack.vaultUrl());
            Fleet.SimOwner owner = Fleet.ensure(data.resolve("fleet.json"), 1, false, vault).get(0);
            // History first: it connects as the devices, which the live simulator then takes over.
            Instant now = Instant.now();
            HistoryPublisher.publish(owner, now.minus(Duration.ofHours(2)), now.minusSeconds(60), false,
                    stack.mqttUrl(), 16);
            FleetSimulator simulator = new FleetSimulator(List.of(owner), new SimulationSettings("json", false, 1, 0, 0), 16);
            simulator.start(stack.mqttUrl());
            return new AppStack(stack, vault, owner, simulator);
        } catch (IOException | InterruptedException | RuntimeException | org.eclipse.paho.mqttv5.common.MqttException e) {
            stack.close();
            TestFolders.delete(data);
            throw e instanceof IOException io ? io : new IOException("cannot start the app stack", e);
        }
    }

    private void stop() {
        try {
            simulator.close();
            stack.close();
        } finally {
            TestFolders.delete(stack.dataDir());
        }
    }

    /** Where the browser opens the app: the vault's HTTP address (127.0.0.1, a free port). */
    public String baseUrl() {
        return stack.vaultUrl();
    }

    public LocalStack stack() {
        return stack;
    }

    /** A REST client of the vault (development tokens, registration, pairing) for a test's own set-up. */
    public VaultClient vault() {
        return vault;
    }

    /** The owner the simulator publishes for (subject {@code sim-owner-1}, role owner). */
    public Fleet.SimOwner simulatedOwner() {
        return simulated;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
