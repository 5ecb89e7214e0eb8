package org.vitalvault.deploy.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vitalvault.deploy.stack.GatewayProgress;
import org.vitalvault.deploy.stack.LocalStack;
import org.vitalvault.deploy.stack.VaultClient;
import org.vitalvault.wire.Topics;

/**
 * 100,000 mutated JSON and CBOR packs from one device, interleaved with valid traffic from others:
 * the gateway never stops, accounts for every hostile message in a receipt, gives every rejected
 * record a reason that is also counted at /q/metrics, and stores every valid reading exactly once.
 */
class FuzzIT {

    private static final int FUZZED = Integer.getInteger("vitalvault.fuzz.messages", 100_000);
    private static LocalStack stack;

    @BeforeAll
    static void start() throws Exception {
        // No device quota (FaultStack's default): 100,000 messages from one device would otherwise
        // be refused for their rate and never reach the parsers this test is about.
        stack = FaultStack.start("fuzz", Map.of());
    }

    @AfterAll
    static void stop() {
        FaultStack.stop(stack);
    }

    /** Hands every arriving receipt to a handler. */
    private record ReceiptCounter(ReceiptHandler handler) implements org.eclipse.paho.mqttv5.client.MqttCallback {
        @Override
        public void messageArrived(String topic, MqttMessage message) throws Exception {
            handler.handle(message);
        }

        @Override
        public void disconnected(org.eclipse.paho.mqttv5.client.MqttDisconnectResponse response) {
        }

        @Override
        public void mqttErrorOccurred(org.eclipse.paho.mqttv5.common.MqttException exception) {
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }

    private interface ReceiptHandler {
        void handle(MqttMessage message) throws Exception;
    }

    @Test
    void hostilePayloadsAreRejectedWithReasonsAndValidReadingsAllStored() throws Exception {
        VaultClient vault = new VaultClient(stack.vaultUrl());
        List<TestFleet.Member> valid = TestFleet.register(vault, "valid", 5);
        TestFleet.Member fuzzer = TestFleet.register(vault, "fuzzer", 1).get(0);
        String id = fuzzer.device().deviceId().toString();

        MqttAsyncClient client = new MqttAsyncClient(stack.mqttUrl(), id, new MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setUserName(id);
        o.setPassword(fuzzer.device().credential().getBytes(StandardCharsets.UTF_8));
        ObjectMapper json = new ObjectMapper();
        AtomicLong receiptMessages = new AtomicLong();
        AtomicLong receiptRejected = new AtomicLong();
        client.setCallback(new ReceiptCounter(message -> {
            JsonNode r = json.readTree(message.getPayload());
            receiptMessages.addAndGet(r.get("messages").asLong());
            receiptRejected.addAndGet(r.get("rejectedTotal").asLong());
        }));
        client.connect(o).waitForCompletion(10_000);
        client.subscribe(new MqttSubscription(Topics.receipts(id), 1)).waitForCompletion(10_000);

        double rejectedBefore = new GatewayProgress(stack.gatewayManagementUrl()).read().rejected();
        try (LoadPublisher load = new LoadPublisher(stack.mqttUrl(), valid, 400, 10)) {
            load.start();
            PayloadFuzzer fuzz = new PayloadFuzzer(20261126L);
            Semaphore window = new Semaphore(200);
            AtomicLong acknowledged = new AtomicLong();
            for (int i = 0; i < FUZZED; i++) {
                PayloadFuzzer.Fuzzed f = fuzz.next();
                MqttMessage m = new MqttMessage(f.payload(), 1, false, new MqttProperties());
                m.getProperties().setContentType(f.contentType());
                window.acquire();
                client.publish(Topics.readings(id), m, null, new MqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken token) {
                        acknowledged.incrementAndGet();
                        window.release();
                    }

                    @Override
                    public void onFailure(IMqttToken token, Throwable e) {
                        window.release();
                    }
                });
            }
            window.tryAcquire(200, 60, TimeUnit.SECONDS);
            assertEquals(FUZZED, acknowledged.get(), "the broker took every fuzzed message");
            load.awaitPublished(180_000);
            FaultStack.assertEveryAcknowledgedReadingStoredOnce(stack, vault, valid, load, 180_000);

            long deadline = System.currentTimeMillis() + 120_000;
            while (receiptMessages.get() < FUZZED && System.currentTimeMillis() < deadline) {
                Thread.sleep(250);
            }
            assertEquals(FUZZED, receiptMessages.get(), "every fuzzed message is accounted for in a receipt");
            double rejectedByMetrics = new GatewayProgress(stack.gatewayManagementUrl()).read().rejected() - rejectedBefore;
            assertTrue(receiptRejected.get() > FUZZED / 2, "most mutations are rejected: " + receiptRejected.get());
            assertEquals((double) receiptRejected.get(), rejectedByMetrics,
                    "each rejection carried in a receipt is counted with its reason at /q/metrics");
        } finally {
            client.disconnect().waitForCompletion(5000);
            client.close();
        }
    }
}
