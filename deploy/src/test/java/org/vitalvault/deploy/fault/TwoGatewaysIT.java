package org.vitalvault.deploy.fault;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vitalvault.deploy.stack.LocalStack;
import org.vitalvault.deploy.stack.ServiceProcess;
import org.vitalvault.deploy.stack.VaultClient;

/**
 * Two gateways share one subscription; one is killed mid-stream and stays down: the other takes
 * over, and nothing is lost or counted twice.
 */
class TwoGatewaysIT {

    private static LocalStack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = FaultStack.start("two-gateways", Map.of());
    }

    @AfterAll
    static void stop() {
        FaultStack.stop(stack);
    }

    @Test
    void killingOneOfTwoGatewaysLosesAndDoublesNothing() throws Exception {
        VaultClient vault = new VaultClient(stack.vaultUrl());
        ServiceProcess second = stack.startExtraGateway("vault-gateway-2", FaultStack.freePort());
        List<TestFleet.Member> fleet = TestFleet.register(vault, "pair", 10);
        try (LoadPublisher load = new LoadPublisher(stack.mqttUrl(), fleet, 500, 10, 100)) {
            load.start();
            Thread.sleep(2000);
            second.kill();
            load.awaitPublished(180_000);
            FaultStack.assertEveryAcknowledgedReadingStoredOnce(stack, vault, fleet, load, 120_000);
        } finally {
            second.close();
        }
    }
}
