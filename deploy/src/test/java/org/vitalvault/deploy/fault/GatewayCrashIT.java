package org.vitalvault.deploy.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vitalvault.deploy.stack.LocalStack;
import org.vitalvault.deploy.stack.VaultClient;

/**
 * The gateway is killed (SIGKILL, no graceful shutdown) at random points while 100,000 readings
 * flow, and restarted each time: every reading the broker accepted is stored, and read, once.
 */
class GatewayCrashIT {

    private static LocalStack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = FaultStack.start("crash", Map.of());
    }

    @AfterAll
    static void stop() {
        FaultStack.stop(stack);
    }

    @Test
    void everyAcceptedReadingIsStoredExactlyOnceAcrossGatewayKills() throws Exception {
        VaultClient vault = new VaultClient(stack.vaultUrl());
        List<TestFleet.Member> fleet = TestFleet.register(vault, "crash", 10);
        Random random = new Random();
        try (LoadPublisher load = new LoadPublisher(stack.mqttUrl(), fleet, 1000, 10, 200)) {
            load.start();
            for (int kill = 0; kill < 3; kill++) {
                Thread.sleep(500 + random.nextInt(2500));
                stack.killGateway();
                stack.restartGateway();
            }
            load.awaitPublished(180_000);
            assertEquals(load.totalReadings(), load.acknowledgedReadings(), "the broker accepted every pack");
            FaultStack.assertEveryAcknowledgedReadingStoredOnce(stack, vault, fleet, load, 120_000);
        }
    }
}
