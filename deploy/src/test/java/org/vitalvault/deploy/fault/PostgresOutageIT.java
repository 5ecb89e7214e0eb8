package org.vitalvault.deploy.fault;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vitalvault.deploy.stack.LocalStack;
import org.vitalvault.deploy.stack.VaultClient;

/**
 * PostgreSQL stops for 30 s mid-stream. The gateway withholds acknowledgements and takes no more
 * work than its bounded queue (heap stays bounded), resumes by itself, and loses nothing.
 */
class PostgresOutageIT {

    private static LocalStack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = FaultStack.start("pg-outage", Map.of());
    }

    @AfterAll
    static void stop() {
        FaultStack.stop(stack);
    }

    @Test
    void ingestPausesDuringAnOutageAndResumesWithoutLoss() throws Exception {
        VaultClient vault = new VaultClient(stack.vaultUrl());
        List<TestFleet.Member> fleet = TestFleet.register(vault, "outage", 5);
        try (LoadPublisher load = new LoadPublisher(stack.mqttUrl(), fleet, 2000, 10, 100)) {
            load.start();
            Thread.sleep(2000);
            stack.stopPostgres();
            double maxHeapMb = 0;
            double maxQueued = 0;
            long outageEnds = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < outageEnds) {
                Map<String, Double> m = gatewayGauges(stack);
                maxHeapMb = Math.max(maxHeapMb, m.getOrDefault("heap", 0d) / 1e6);
                maxQueued = Math.max(maxQueued, m.getOrDefault("queued", 0d));
                Thread.sleep(1000);
            }
            double storedAtRestart = FaultStack.stored(stack);
            stack.startPostgres();
            load.awaitPublished(240_000);
            FaultStack.assertEveryAcknowledgedReadingStoredOnce(stack, vault, fleet, load, 180_000);
            assertTrue(FaultStack.stored(stack) > storedAtRestart, "ingest resumed by itself");
            // The writer's queue is bounded (default 2,000 messages), so memory cannot grow with the outage.
            assertTrue(maxQueued <= 2000, "queued messages stayed bounded: " + maxQueued);
            assertTrue(maxHeapMb < 256, "gateway heap stayed under 256 MB: " + maxHeapMb);
        }
    }

    private static Map<String, Double> gatewayGauges(LocalStack stack) throws IOException, InterruptedException {
        String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + "/q/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        double heap = 0;
        double queued = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                heap += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            } else if (line.startsWith("vitalvault_gateway_queued_messages ")) {
                queued = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return Map.of("heap", heap, "queued", queued);
    }
}
