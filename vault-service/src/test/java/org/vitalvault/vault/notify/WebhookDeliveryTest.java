package org.vitalvault.vault.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vitalvault.vault.support.ConsentFixtures;
import org.vitalvault.vault.support.ConsentFixtures.TestOwner;
import org.vitalvault.vault.support.Researchers;

/**
 * The operator's webhook, against a real HTTP server in this JVM: a notice committed is announced
 * once per attempt, signed (HMAC-SHA256 the receiver can check), with a stable delivery id and
 * without its text; a 500 is retried after its backoff and not before; a notice that keeps failing is
 * dropped after max-attempts; two replicas draining at once deliver each notice once. The tests drive
 * the outbox themselves (the background worker looks once an hour here) with a clock of their own.
 */
@QuarkusTest
@TestProfile(WebhookDeliveryTest.Webhook.class)
class WebhookDeliveryTest {

    static final String SECRET = "test-webhook-secret-0123456789abcdef";

    /** A webhook at the receiver; the worker effectively idle so that the tests decide when to deliver. */
    public static class Webhook implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "vitalvault.notifications.webhook-url", WebhookReceiver.get().url(),
                    "vitalvault.notifications.webhook-secret", SECRET,
                    "vitalvault.notifications.poll-interval", "PT1H",
                    "vitalvault.notifications.initial-backoff", "PT10S",
                    "vitalvault.notifications.max-backoff", "PT1M",
                    "vitalvault.notifications.max-attempts", "3");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    WebhookOutbox outbox;

    @Inject
    OwnerNotices notices;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    MeterRegistry registry;

    private final WebhookReceiver receiver = WebhookReceiver.get();

    @BeforeEach
    void emptyOutbox() throws Exception {
        receiver.reset(r -> 200);
        outbox.drain(Instant.now().plus(Duration.ofDays(365)));
        receiver.reset(r -> 200);
    }

    @Test
    void aCommittedNoticeIsDeliveredOnceSignedWithItsIdAndWithoutItsText() throws Exception {
        Researchers.Org org = Researchers.approvedOrg();
        TestOwner alice = ConsentFixtures.newOwner();
        ConsentFixtures.grant(alice, ConsentFixtures.grantTo(org.id(), ConsentFixtures.terms()));
        double deliveredBefore = count("delivered");

        assertEquals(new WebhookOutbox.Pass(1, 0, 0), outbox.drain(Instant.now()));

        List<WebhookReceiver.Received> got = receiver.received();
        assertEquals(1, got.size());
        WebhookReceiver.Received r = got.get(0);
        assertEquals("POST", r.method());
        JsonNode body = JSON.readTree(r.body());
        long noticeId = newestNoticeId(alice.id());
        assertEquals(alice.id() + ":" + noticeId, body.get("id").asText());
        assertEquals(alice.id().toString(), body.get("ownerId").asText());
        assertEquals("CONSENT_CHANGE", body.get("kind").asText());
        assertNotNull(Instant.parse(body.get("createdAt").asText()));
        assertEquals(Set.of("id", "ownerId", "kind", "createdAt"), fieldNames(body), "nothing but these: no text");
        assertFalse(r.body().contains("Cardiology") || r.body().contains("allowed") || r.body().contains("heart"), r.body());
        assertEquals(body.get("id").asText(), r.header("X-VitalVault-Delivery"));
        assertTrue(signatureMatches(r), "the signature verifies with the shared secret");
        assertTrue(r.header("Content-Type").startsWith("application/json"));
        assertEquals(0, outboxRows(alice.id()), "delivered: gone from the outbox");
        assertEquals(deliveredBefore + 1, count("delivered"));

        assertEquals(new WebhookOutbox.Pass(0, 0, 0), outbox.drain(Instant.now().plus(Duration.ofDays(1))));
        assertEquals(1, receiver.received().size(), "delivered once");
    }

    @Test
    void aForgedSignatureWouldNotVerify() throws Exception {
        TestOwner alice = ConsentFixtures.newOwner();
        post(alice.id(), "Your data was exported (CSV).");
        outbox.drain(Instant.now());
        WebhookReceiver.Received r = receiver.received().get(0);
        WebhookReceiver.Received tampered = new WebhookReceiver.Received(r.method(), r.path(), r.headers(),
                r.body().replace("ACCOUNT", "DEVICE"));
        assertTrue(signatureMatches(r));
        assertFalse(signatureMatches(tampered), "a changed body no longer matches its signature");
    }

    @Test
    void aDeliveryAnswered500IsRetriedAfterItsBackoffNotBeforeWithTheSameDeliveryId() throws Exception {
        TestOwner alice = ConsentFixtures.newOwner();
        post(alice.id(), "Your key was rotated (now version 2); your data is being re-sealed under it.");
        receiver.reset(r -> 500);
        double failedBefore = count("failed");
        Instant now = Instant.now();

        assertEquals(new WebhookOutbox.Pass(0, 1, 0), outbox.drain(now));
        assertEquals(1, outboxRows(alice.id()));
        assertEquals("HTTP 500", lastError(alice.id()));
        assertEquals(failedBefore + 1, count("failed"));
        String firstId = receiver.received().get(0).header("X-VitalVault-Delivery");

        receiver.reset(r -> 200);
        assertEquals(new WebhookOutbox.Pass(0, 0, 0), outbox.drain(now.plus(Duration.ofSeconds(9))), "not before its backoff");
        assertEquals(0, receiver.received().size());
        assertEquals(new WebhookOutbox.Pass(1, 0, 0), outbox.drain(now.plus(Duration.ofSeconds(11))));
        assertEquals(firstId, receiver.received().get(0).header("X-VitalVault-Delivery"), "same id: receivers deduplicate");
        assertEquals(0, outboxRows(alice.id()));
    }

    @Test
    void aNoticeThatKeepsFailingIsDroppedAfterMaxAttemptsAndCounted() throws Exception {
        TestOwner alice = ConsentFixtures.newOwner();
        post(alice.id(), "Your data was exported (FHIR).");
        receiver.reset(r -> 503);
        double droppedBefore = count("dropped");
        Instant now = Instant.now();
        assertEquals(new WebhookOutbox.Pass(0, 1, 0), outbox.drain(now));
        assertEquals(new WebhookOutbox.Pass(0, 1, 0), outbox.drain(now.plus(Duration.ofSeconds(11))));
        // Third attempt: initial 10 s doubled to 20 s after the second failure.
        assertEquals(new WebhookOutbox.Pass(0, 0, 0), outbox.drain(now.plus(Duration.ofSeconds(25))));
        assertEquals(new WebhookOutbox.Pass(0, 0, 1), outbox.drain(now.plus(Duration.ofSeconds(40))));
        assertEquals(3, receiver.received().size());
        assertEquals(0, outboxRows(alice.id()));
        assertEquals(droppedBefore + 1, count("dropped"));
        // The owner's feed keeps it: only the announcement was given up.
        assertEquals(1, feedRows(alice.id()));
    }

    @Test
    void aNoticeRolledBackIsNeverAnnounced() throws Exception {
        TestOwner alice = ConsentFixtures.newOwner();
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                notices.post(alice.id(), new Notice(NoticeKind.ACCOUNT, "never"));
                throw new IllegalStateException("roll back");
            });
        } catch (IllegalStateException expected) {
            // rolled back
        }
        assertEquals(new WebhookOutbox.Pass(0, 0, 0), outbox.drain(Instant.now()));
        assertEquals(0, receiver.received().size());
    }

    @Test
    void twoReplicasDrainingAtOnceDeliverEachNoticeExactlyOnce() throws Exception {
        TestOwner alice = ConsentFixtures.newOwner();
        TestOwner bob = ConsentFixtures.newOwner();
        for (int i = 0; i < 60; i++) {
            post(i % 2 == 0 ? alice.id() : bob.id(), "notice " + i);
        }
        ExecutorService replicas = Executors.newFixedThreadPool(2);
        try {
            Instant now = Instant.now();
            Callable<WebhookOutbox.Pass> drain = () -> outbox.drain(now);
            List<Future<WebhookOutbox.Pass>> passes = replicas.invokeAll(List.of(drain, drain));
            int delivered = 0;
            for (Future<WebhookOutbox.Pass> p : passes) {
                delivered += p.get().delivered();
            }
            assertEquals(60, delivered);
        } finally {
            replicas.shutdownNow();
        }
        List<String> ids = receiver.received().stream().map(r -> r.header("X-VitalVault-Delivery")).toList();
        assertEquals(60, ids.size());
        assertEquals(60, Set.copyOf(ids).size(), "no notice delivered twice");
    }

    private void post(UUID owner, String text) {
        QuarkusTransaction.requiringNew().run(() -> notices.post(owner, new Notice(NoticeKind.ACCOUNT, text)));
    }

    private static boolean signatureMatches(WebhookReceiver.Received r) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = "sha256=" + HexFormat.of().formatHex(mac.doFinal(r.body().getBytes(StandardCharsets.UTF_8)));
        String given = r.header("X-VitalVault-Signature");
        return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                given.getBytes(StandardCharsets.US_ASCII));
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new java.util.TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private double count(String outcome) {
        Counter c = registry.find("vitalvault.notifications.webhook").tag("outcome", outcome).counter();
        return c == null ? 0 : c.count();
    }

    private long newestNoticeId(UUID owner) throws Exception {
        return queryLong("select max(notice_id) from owner_notification where owner_id = ?", owner);
    }

    private long outboxRows(UUID owner) throws Exception {
        return queryLong("select count(*) from notification_outbox where owner_id = ?", owner);
    }

    private long feedRows(UUID owner) throws Exception {
        return queryLong("select count(*) from owner_notification where owner_id = ?", owner);
    }

    private String lastError(UUID owner) throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select last_error from notification_outbox where owner_id = ?")) {
            ps.setObject(1, owner);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private long queryLong(String sql, UUID owner) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, owner);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
