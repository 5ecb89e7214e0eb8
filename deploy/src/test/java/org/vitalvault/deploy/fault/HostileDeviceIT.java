package org.vitalvault.deploy.fault;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.function.Executable;
import org.vitalvault.deploy.broker.RawMqtt;
import org.vitalvault.deploy.stack.LocalStack;
import org.vitalvault.deploy.stack.VaultClient;
import org.vitalvault.wire.Topics;

/**
 * Issue 14's attacks on the real stack (embedded PostgreSQL, embedded HiveMQ, the gateway as a
 * process), each by an attacker with its own paired device, beside an honest device publishing one
 * reading every 0.2 s. For every attack:
 *
 * <ul>
 *   <li>the honest device's readings keep being committed and acknowledged: every one the broker
 *       acknowledged during the attack gets its receipt;</li>
 *   <li>its publish→receipt p99 during the attack stays within 2× its quiet p99, measured in the
 *       same run: {@code p99(attack) ≤ 2 × p99(quiet) + }{@value #SLACK_MILLIS} ms. The slack is
 *       scheduler noise, not a tolerance for the attack: on this 2-core machine shared by several
 *       builds, a thread may wait a few hundred ms for a core, and with about 50 readings per window
 *       the p99 is the single slowest reading, so one such wait would otherwise fail the test;</li>
 *   <li>the gateway's used heap ({@code jvm_memory_used_bytes{area="heap"}} at /q/metrics, sampled
 *       every 250 ms) stays at or below {@value #HEAP_BOUND_MB} MB, the heap bound (the
 *       gateway runs with -Xmx512m);</li>
 *   <li>nothing acknowledged is lost: at the end every honest reading the broker acknowledged is
 *       stored once, and the flooding device has exactly the readings its receipts reported stored.</li>
 * </ul>
 *
 * <p>Each window is at least 10 s (about 50 honest readings). Across the gateway crash of the poison
 * test the p99 window starts 3 s after the new gateway is ready: while it is down nothing can answer,
 * and a new JVM's first seconds are slow whatever the poison does; the readings of that gap must
 * still all be receipted.</p>
 *
 * <p>Which side each assertion depends on (the branches of issue 14 are merged by the lead):
 * <b>[broker]</b> this branch (attacks: embedded HiveMQ packet size, quota, QoS 0);
 * <b>[gw-fair]</b> the gateway's device quota, {@code rate-limited}, processing deadline and
 * bounded queue; <b>[gw-acks]</b> acknowledgements across reconnects; <b>[any]</b> must hold
 * whichever layer does the work.
 *
 * <p>The device quota of this test is small, so a flood exceeds it within a second: 50 readings/s,
 * 16 KiB/s, burst 2 s, given to the gateway ({@code vitalvault.gateway.limits.*}) and, through
 * LocalStack, to the embedded broker. The honest device (5 readings/s) stays far below it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileDeviceIT {

    static final double SLACK_MILLIS = 250;
    static final long HEAP_BOUND_MB = 256;
    private static final long HONEST_PERIOD_MILLIS = 200;
    private static final long WINDOW_MILLIS = 10_000;
    private static final int READINGS_PER_SECOND = 50;
    private static final int BURST_SECONDS = 2;
    private static final int FLOOD_FACTOR = 50;
    private static final long RESTART_WARM_UP_MILLIS = 3_000;
    private static final int PACKET_TOO_LARGE = 0x95;
    private static final int QUOTA_EXCEEDED = 0x97;
    private static final Map<String, String> LIMITS = Map.of(
            "vitalvault.gateway.limits.device-readings-per-second", String.valueOf(READINGS_PER_SECOND),
            "vitalvault.gateway.limits.device-bytes-per-second", "16384",
            "vitalvault.gateway.limits.device-burst", "PT" + BURST_SECONDS + "S");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final List<String> REPORT = new ArrayList<>();

    private static LocalStack stack;
    private static VaultClient vault;
    private static HonestDevice honest;
    private static GatewayHeap heap;
    private static double quietP99;

    @BeforeAll
    static void startStackAndMeasureQuiet() throws Exception {
        stack = FaultStack.start("hostile", LIMITS);
        vault = new VaultClient(stack.vaultUrl());
        honest = new HonestDevice(stack.mqttUrl(), TestFleet.register(vault, "honest", 1).get(0));
        heap = new GatewayHeap(stack.gatewayManagementUrl());
        honest.start(HONEST_PERIOD_MILLIS);
        Thread.sleep(5_000); // the first receipts pay for class loading and JIT; not "quiet" latency
        long from = System.nanoTime();
        Thread.sleep(12_000);
        HonestDevice.Window quiet = honest.awaitReceipts("quiet", from, System.nanoTime(), 30_000);
        quietP99 = quiet.percentile(0.99);
        report(quiet.describe() + ", gateway heap max " + heap.max(from, System.nanoTime()) / (1 << 20) + " MB");
        assertTrue(quiet.acknowledged().size() >= 30, quiet.describe());
        assertTrue(quiet.withoutReceipt().isEmpty(), "quiet: every honest reading is receipted: " + quiet.describe());
    }

    @AfterAll
    static void stop() {
        System.out.println("HostileDeviceIT observations (publish→receipt of the honest device, 1 reading / 0.2 s):");
        REPORT.forEach(line -> System.out.println("  " + line));
        if (honest != null) {
            honest.close();
        }
        if (heap != null) {
            heap.close();
        }
        FaultStack.stop(stack);
    }

    /** [broker] refused at the broker, or [any] rejected by the gateway: never stored, and counted. */
    @Test
    @Order(1)
    void coseLabelBombDoesNotDelayOtherDevices() throws Exception {
        TestFleet.Member attacker = pair("bomber", true);
        long from = System.nanoTime();
        RawMqtt.Outcome big = rawPublish(attacker, Topics.readings(attacker.device().deviceId()),
                HostilePayloads.coseLabelBomb(300_000));
        // Fits under every size limit, so it reaches the gateway's COSE header parser.
        RawMqtt.Outcome fitting = rawPublish(attacker, Topics.readings(attacker.device().deviceId()),
                HostilePayloads.coseLabelBomb(16_000));
        report("label bomb: 300,000 labels → " + big + "; 16,000 labels → " + fitting);

        assertHonestDeviceUnharmed("COSE label bomb", from,
                () -> assertTrue(big.refused() || big.reasonCode() < 0x80, "answered: " + big),
                () -> assertTrue(big.packetType() == RawMqtt.DISCONNECT && big.reasonCode() == PACKET_TOO_LARGE
                        || big.packetType() == -1, "[broker] the 1.4 MB packet is over the maximum packet size: " + big),
                () -> assertEveryAcceptedMessageRejected(attacker, List.of(big, fitting)));
    }

    @Test
    @Order(2)
    void a200MegabytePublishIsRefusedBeforeAnyoneReadsIt() throws Exception {
        TestFleet.Member attacker = pair("giant", false);
        long from = System.nanoTime();
        RawMqtt.Outcome outcome;
        RawMqtt.Connack[] connack = new RawMqtt.Connack[1];
        try (RawMqtt raw = rawConnect(attacker, connack)) {
            outcome = raw.publishQos1(Topics.readings(attacker.device().deviceId()), 200L * 1024 * 1024,
                    "[{\"n\":\"heart_rate\",\"v\":60},".getBytes(StandardCharsets.UTF_8));
        }
        report("200 MB publish → " + outcome);

        assertHonestDeviceUnharmed("200 MB publish", from,
                () -> assertTrue(outcome.refused(), "[broker] refused: " + outcome),
                () -> assertTrue(outcome.bytesWritten() < 32L * 1024 * 1024,
                        "[broker] the broker closed the connection before reading the body; bytes taken: "
                                + outcome.bytesWritten()),
                () -> assertEveryAcceptedMessageRejected(attacker, List.of(outcome)));
    }

    @Test
    @Order(3)
    void deeplyNestedCborBareAndInsideAValidCoseMac0() throws Exception {
        TestFleet.Member bare = pair("nest-bare", false);
        TestFleet.Member cose = pair("nest-cose", true);
        String bareTopic = Topics.readings(bare.device().deviceId(), "cbor");
        String coseTopic = Topics.readings(cose.device().deviceId(), "cbor");
        long from = System.nanoTime();
        // 100,000 levels is 100 KB: over the packet size. 60,000 levels fits and reaches the decoders.
        List<RawMqtt.Outcome> bareOutcomes = List.of(
                rawPublish(bare, bareTopic, HostilePayloads.nestedCbor(100_000)),
                rawPublish(bare, bareTopic, HostilePayloads.nestedCbor(60_000)));
        List<RawMqtt.Outcome> coseOutcomes = List.of(
                rawPublish(cose, coseTopic, HostilePayloads.nestedCborInCose(100_000, cose.device().macKey())),
                rawPublish(cose, coseTopic, HostilePayloads.nestedCborInCose(60_000, cose.device().macKey())));
        report("nested CBOR: bare " + bareOutcomes + "; in COSE_Mac0 " + coseOutcomes);

        assertHonestDeviceUnharmed("deeply nested CBOR", from,
                () -> assertTrue(bareOutcomes.get(0).refused() && coseOutcomes.get(0).refused(),
                        "[broker] 100,000 levels are over the maximum packet size"),
                () -> assertEveryAcceptedMessageRejected(bare, bareOutcomes),
                () -> assertEveryAcceptedMessageRejected(cose, coseOutcomes));
    }

    @Test
    @Order(4)
    void aDevicePublishingFiftyTimesItsQuotaDoesNotCrowdOutOthers() throws Exception {
        TestFleet.Member flooder = pair("flooder", false);
        String id = flooder.device().deviceId().toString();
        MqttAsyncClient client = new MqttAsyncClient(stack.mqttUrl(), id, new MemoryPersistence());
        ReceiptTally receipts = new ReceiptTally();
        client.setCallback(receipts);
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setUserName(id);
        o.setPassword(flooder.device().credential().getBytes(StandardCharsets.UTF_8));
        client.connect(o).waitForCompletion(30_000);
        client.subscribe(new MqttSubscription(Topics.receipts(id), 1)).waitForCompletion(30_000);

        int rate = FLOOD_FACTOR * READINGS_PER_SECOND; // packs of one reading
        long baseTime = System.currentTimeMillis() - 120_000;
        Semaphore window = new Semaphore(500);
        AtomicLong accepted = new AtomicLong();
        AtomicLong quotaExceeded = new AtomicLong();
        AtomicLong otherRefusals = new AtomicLong();
        long sent = 0;
        long from = System.nanoTime();
        long floodNanos = TimeUnit.MILLISECONDS.toNanos(WINDOW_MILLIS);
        try {
            while (System.nanoTime() - from < floodNanos) {
                long due = from + sent * 1_000_000_000L / rate;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                if (!window.tryAcquire(5, TimeUnit.SECONDS)) {
                    break;
                }
                long t = baseTime + sent;
                String pack = "[{\"bn\":\"urn:dev:uuid:" + id + ":\",\"bt\":" + t / 1000d
                        + ",\"n\":\"heart_rate\",\"u\":\"beat/min\",\"v\":" + (60 + t % 40) + "}]";
                MqttMessage m = new MqttMessage(pack.getBytes(StandardCharsets.UTF_8));
                m.setQos(1);
                try {
                    client.publish(Topics.readings(id), m, null, new MqttActionListener() {
                        @Override
                        public void onSuccess(IMqttToken token) {
                            int[] codes = token.getReasonCodes();
                            int code = codes == null || codes.length == 0 ? 0 : codes[0];
                            (code == QUOTA_EXCEEDED ? quotaExceeded : code >= 0x80 ? otherRefusals : accepted)
                                    .incrementAndGet();
                            window.release();
                        }

                        @Override
                        public void onFailure(IMqttToken token, Throwable e) {
                            otherRefusals.incrementAndGet();
                            window.release();
                        }
                    });
                    sent++;
                } catch (MqttException e) {
                    window.release();
                    otherRefusals.incrementAndGet();
                    Thread.sleep(10);
                }
            }
            window.tryAcquire(500, 30, TimeUnit.SECONDS);
            double seconds = (System.nanoTime() - from) / 1e9;
            // [any] what reaches the store is at most the quota: the whole burst plus the rate.
            long allowed = (long) (READINGS_PER_SECOND * (BURST_SECONDS + seconds * 1.1)) + 20;
            long stored = awaitStoredSettles(flooder, receipts);
            report(String.format("flood: %d packs of 1 reading in %.1f s (%.0f/s attempted %d/s = %d× the quota);"
                            + " broker accepted %d, 0x97 %d, other refusals %d; receipts: %d stored, rejected %s;"
                            + " stored in the vault %d (quota allows %d)",
                    sent, seconds, sent / seconds, rate, FLOOD_FACTOR, accepted.get(), quotaExceeded.get(),
                    otherRefusals.get(), receipts.stored.get(), receipts.rejectedByReason, stored, allowed));
            long sentTotal = sent;

            assertHonestDeviceUnharmed("flood at 50× quota", from,
                    () -> assertTrue(sentTotal >= rate * seconds / 5, "the attacker really flooded: " + sentTotal),
                    () -> assertTrue(stored <= allowed, "[any] stored " + stored + " > quota " + allowed),
                    () -> assertTrue(quotaExceeded.get() > 0, "[broker] the embedded broker refused with 0x97"),
                    () -> assertTrue(quotaExceeded.get() + receipts.rejected("rate-limited") >= sentTotal - allowed,
                            "[broker]/[gw-fair] everything over quota is refused: 0x97 or rate-limited"),
                    () -> assertEquals(receipts.stored.get(), stored,
                            "[any] the flooder's receipts report exactly what the vault stored"));
        } finally {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(5_000);
            }
            client.close();
        }
    }

    @Test
    @Order(5)
    void aPoisonMessageInFlightAcrossAGatewayCrashIsRejectedOnceAndBlocksNothing() throws Exception {
        TestFleet.Member attacker = pair("poison", true);
        String topic = Topics.readings(attacker.device().deviceId(), "cbor");
        // The most expensive message that passes every size limit: a valid MAC over 60,000 nested arrays.
        RawMqtt.Outcome outcome = rawPublish(attacker, topic,
                HostilePayloads.nestedCborInCose(60_000, attacker.device().macKey()));
        long killed = System.nanoTime();
        stack.killGateway();
        stack.restartGateway();
        long ready = System.nanoTime();
        report(String.format("poison: %s; gateway killed and ready again after %.1f s", outcome,
                (ready - killed) / 1e9));
        // The readings published while the gateway was down, and in the first seconds of the new
        // JVM (class loading, JIT: slow whatever the poison does), are not part of the p99, but each
        // must get its receipt. The poison is redelivered at the reconnect, so a poison that stalls
        // the gateway (41 s in issue 14) stalls it well into the measured window.
        Thread.sleep(RESTART_WARM_UP_MILLIS);
        long from = System.nanoTime();
        HonestDevice.Window down = honest.awaitReceipts("while the gateway was down", killed, from, 60_000);
        assertHonestDeviceUnharmed("poison across a gateway crash", from,
                () -> assertTrue(down.withoutReceipt().isEmpty(), down.describe()),
                () -> assertTrue(rejectionsOf(attacker).size() <= 1,
                        "[gw-fair]/[gw-acks] the poison was redelivered at most once after the crash: "
                                + rejectionsOf(attacker)));

        // Once rejected and acknowledged it never comes back: after another crash the gateway does not see it.
        if (outcome.packetType() == RawMqtt.PUBACK && outcome.reasonCode() < 0x80) {
            stack.killGateway();
            stack.restartGateway();
            long again = System.nanoTime();
            Thread.sleep(3_000); // a redelivered poison would arrive first, at the reconnect
            HonestDevice.Window after = honest.awaitReceipts("after a second crash", again,
                    again + TimeUnit.SECONDS.toNanos(3), 60_000);
            report(after.describe() + "; gateway rejections of the poison device " + rejectionsOf(attacker));
            assertAll(
                    () -> assertTrue(after.withoutReceipt().isEmpty(), after.describe()),
                    () -> assertEquals(List.of(), rejectionsOf(attacker),
                            "[gw-acks] the poison was acknowledged: not redelivered to the next gateway"));
        }
    }

    @Test
    @Order(6)
    void nothingTheHonestDeviceWasAcknowledgedIsLost() throws Exception {
        assertEquals(List.of(), honest.rejections(), "the honest device's readings are never rejected");
        Set<Long> expected = new HashSet<>(honest.acknowledgedTimes());
        Set<Long> stored = Set.of();
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            stored = storedTimes(honest.member(), honest.firstTimeMillis() - 1000);
            if (stored.containsAll(expected)) {
                break;
            }
            Thread.sleep(500);
        }
        Set<Long> missing = new HashSet<>(expected);
        missing.removeAll(stored);
        report("honest device: " + expected.size() + " readings acknowledged, " + stored.size() + " stored");
        assertEquals(Set.of(), missing, "acknowledged honest readings not stored");
    }

    // --- the shared checks

    private static void assertHonestDeviceUnharmed(String attack, long from, Executable... attackChecks)
            throws InterruptedException {
        long minimumEnd = from + TimeUnit.MILLISECONDS.toNanos(WINDOW_MILLIS);
        long wait = minimumEnd - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000);
        }
        long to = System.nanoTime();
        HonestDevice.Window w = honest.awaitReceipts(attack, from, to, 60_000);
        long heapMb = heap.max(from, System.nanoTime()) / (1 << 20);
        double p99 = w.percentile(0.99);
        double bound = 2 * quietP99 + SLACK_MILLIS;
        report(String.format("%s; bound %.0f ms; gateway heap max %d MB (%d samples)", w.describe(), bound, heapMb,
                heap.count(from, System.nanoTime())));
        List<Executable> checks = new ArrayList<>(List.of(attackChecks));
        checks.add(() -> assertTrue(w.acknowledged().size() >= WINDOW_MILLIS / HONEST_PERIOD_MILLIS / 2,
                "[any] the honest device kept publishing and being acknowledged by the broker: " + w.describe()));
        checks.add(() -> assertTrue(w.withoutReceipt().isEmpty(),
                "[any] every acknowledged honest reading got its receipt: " + w.describe()));
        checks.add(() -> assertTrue(p99 <= bound,
                String.format("[any] honest p99 %.0f ms > 2 × quiet p99 %.0f ms + %.0f ms", p99, quietP99, SLACK_MILLIS)));
        checks.add(() -> assertTrue(heapMb <= HEAP_BOUND_MB, "[any] gateway heap " + heapMb + " MB"));
        assertAll(attack, checks);
    }

    /**
     * [any] Each message the broker accepted (PUBACK below 0x80) shows up in the gateway's
     * rejection log for that device within 30 s: rejected with a reason, never stored.
     */
    private static void assertEveryAcceptedMessageRejected(TestFleet.Member attacker, List<RawMqtt.Outcome> outcomes)
            throws Exception {
        long accepted = outcomes.stream()
                .filter(o -> o.packetType() == RawMqtt.PUBACK && o.reasonCode() < 0x80).count();
        long deadline = System.currentTimeMillis() + 30_000;
        List<String> reasons = rejectionsOf(attacker);
        while (reasons.size() < accepted && System.currentTimeMillis() < deadline) {
            Thread.sleep(250);
            reasons = rejectionsOf(attacker);
        }
        report("  " + attacker.device().deviceId() + ": " + accepted + " accepted by the broker, gateway rejections "
                + reasons);
        assertTrue(reasons.size() >= accepted, accepted + " accepted by the broker, rejected by the gateway: " + reasons);
        assertEquals(Set.of(), storedTimes(attacker, System.currentTimeMillis() - 3_600_000),
                "nothing of the attacker's is stored");
    }

    // --- helpers

    private static TestFleet.Member pair(String prefix, boolean macRequired) throws Exception {
        String token = vault.devToken(prefix + "-" + UUID.randomUUID(), "owner");
        UUID owner = vault.registerOrFind(token);
        return new TestFleet.Member(token, owner, vault.pair(token, owner, prefix + " device", macRequired));
    }

    private static RawMqtt rawConnect(TestFleet.Member device, RawMqtt.Connack[] connack) throws Exception {
        String id = device.device().deviceId().toString();
        URI url = URI.create(stack.mqttUrl());
        RawMqtt raw = RawMqtt.connect(url.getHost(), url.getPort(), id, id,
                device.device().credential().getBytes(StandardCharsets.UTF_8), connack);
        assertEquals(0, connack[0].reasonCode(), "attacker connected");
        return raw;
    }

    /** One QoS 1 publish on a connection of its own (the broker may close it). */
    private static RawMqtt.Outcome rawPublish(TestFleet.Member device, String topic, byte[] payload) throws Exception {
        RawMqtt.Connack[] connack = new RawMqtt.Connack[1];
        try (RawMqtt raw = rawConnect(device, connack)) {
            return raw.publishQos1(topic, payload);
        }
    }

    /** Reasons of the gateway's recent rejections of this device (GET /rejections on the gateway's management port). */
    private static List<String> rejectionsOf(TestFleet.Member device) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(stack.gatewayManagementUrl() + "/rejections"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        List<String> reasons = new ArrayList<>();
        for (JsonNode e : JSON.readTree(r.body())) {
            if (device.device().deviceId().toString().equals(e.path("deviceId").asText())) {
                reasons.add(e.path("reason").asText());
            }
        }
        return reasons;
    }

    /** Device times of the device owner's stored heart-rate readings; fails if one is read twice. */
    private static Set<Long> storedTimes(TestFleet.Member m, long fromMillis) throws Exception {
        VaultClient.Reply r = vault.readings(m.token(), m.ownerId(), "heart_rate",
                Instant.ofEpochMilli(fromMillis), Instant.now().plusSeconds(300));
        assertEquals(200, r.status(), () -> String.valueOf(r.body()));
        Set<Long> times = new HashSet<>();
        for (JsonNode reading : r.body().get("readings")) {
            long t = Instant.parse(reading.get("time").asText()).toEpochMilli();
            assertTrue(times.add(t), "reading at " + t + " is read twice");
        }
        return times;
    }

    /** Waits until the flooder's stored count stops changing and matches its receipts (or 30 s). */
    private static long awaitStoredSettles(TestFleet.Member flooder, ReceiptTally receipts) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        long last = -1;
        while (true) {
            long now = storedTimes(flooder, System.currentTimeMillis() - 600_000).size();
            if ((now == last && now == receipts.stored.get()) || System.currentTimeMillis() > deadline) {
                return now;
            }
            last = now;
            Thread.sleep(1_000);
        }
    }

    private static void report(String line) {
        System.out.println("[HostileDeviceIT] " + line);
        REPORT.add(line);
    }
}
