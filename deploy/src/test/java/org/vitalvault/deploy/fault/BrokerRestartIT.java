package org.vitalvault.deploy.fault;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vitalvault.deploy.stack.LocalStack;
import org.vitalvault.deploy.stack.VaultClient;

/** The broker (file persistence on) restarts mid-stream: nothing it acknowledged is lost. */
class BrokerRestartIT {

    private static LocalStack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = FaultStack.start("broker-restart", Map.of());
    }

    @AfterAll
    static void stop() {
        FaultStack.stop(stack);
    }

    @Test
    void readingsAcknowledgedBeforeAndAfterABrokerRestartAreAllStored() throws Exception {
        VaultClient vault = new VaultClient(stack.vaultUrl());
        List<TestFleet.Member> fleet = TestFleet.register(vault, "restart", 5);
        try (LoadPublisher load = new LoadPublisher(stack.mqttUrl(), fleet, 600, 10, 100)) {
            load.start();
            Thread.sleep(1500);
            stack.restartBroker(java.time.Duration.ofSeconds(2));
            load.awaitPublished(180_000);
            assertTrue(load.retries() > 0, "the restart hit devices mid-stream");
            FaultStack.assertEveryAcknowledgedReadingStoredOnce(stack, vault, fleet, load, 120_000);
        }
    }
}
