package org.vitalvault.vault.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.vitalvault.vault.config.VaultConfig;

/**
 * Delivers queued notifications ({@code notification_outbox}) to the operator's webhook: a POST of
 * {@link Payload} — never the text, which stays sealed in the owner's feed — signed with
 * {@link WebhookSignature}, with the delivery id {@code <ownerId>:<noticeId>} in
 * {@code X-VitalVault-Delivery}.
 *
 * <p>At least once: an entry is deleted only after the webhook answered 2xx, in the transaction that
 * held it; a crash before that commit leaves it to be sent again, so receivers deduplicate by id.
 * A failure (any other status, a timeout, no connection) waits {@code initial-backoff}, doubled per
 * further attempt up to {@code max-backoff}; after {@code max-attempts} the entry is dropped. Safe on
 * several vault replicas: entries are taken with {@code for update skip locked}, so each is in one
 * replica's hands at a time. Counted at /q/metrics as
 * {@code vitalvault_notifications_webhook_total{outcome=delivered|failed|dropped}}.
 *
 * <p>JDBC: the entries are locked for the length of their delivery, on a connection of its own.
 */
@ApplicationScoped
public class WebhookOutbox {

    private static final Logger LOG = Logger.getLogger(WebhookOutbox.class);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    VaultConfig config;

    @Inject
    ObjectMapper json;

    @Inject
    MeterRegistry registry;

    private volatile HttpClient http;

    /**
     * What the webhook receives: which owner has a new notification of which kind, and when. The
     * operator's push service tells the owner's device "you have a new notification"; the owner reads
     * it in the vault.
     *
     * @param id the delivery id, {@code <ownerId>:<noticeId>}: the same on every attempt
     */
    public record Payload(String id, UUID ownerId, String kind, Instant createdAt) {
    }

    /** What one pass did. */
    public record Pass(int delivered, int failed, int dropped) {
        boolean any() {
            return delivered + failed + dropped > 0;
        }
    }

    private record Due(UUID owner, long notice, int attempts, String kind, Instant createdAt) {
    }

    /** Delivers every entry due at {@code now}, batch by batch, until none is due or a delivery failed. */
    public Pass drain(Instant now) throws SQLException {
        int delivered = 0;
        int failed = 0;
        int dropped = 0;
        while (true) {
            Pass p = deliverBatch(now);
            delivered += p.delivered();
            failed += p.failed();
            dropped += p.dropped();
            // A failure likely means the webhook is away: the rest waits for the next pass.
            if (!p.any() || p.failed() + p.dropped() > 0) {
                return new Pass(delivered, failed, dropped);
            }
        }
    }

    private Pass deliverBatch(Instant now) throws SQLException {
        VaultConfig.Notifications settings = config.notifications();
        URI url = settings.webhookUrl().orElse(null);
        if (url == null) {
            return new Pass(0, 0, 0);
        }
        WebhookSignature signature = new WebhookSignature(settings.webhookSecret().orElseThrow(
                () -> new IllegalStateException("vitalvault.notifications.webhook-secret is not set")));
        int delivered = 0;
        int failed = 0;
        int dropped = 0;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                for (Due due : due(c, now, settings.batchSize())) {
                    String failure = deliver(url, signature, due, settings.timeout());
                    if (failure == null) {
                        delete(c, due);
                        delivered++;
                        count("delivered");
                        continue;
                    }
                    int attempts = due.attempts() + 1;
                    if (attempts >= settings.maxAttempts()) {
                        delete(c, due);
                        dropped++;
                        count("dropped");
                        LOG.warnf("notification %s:%d dropped after %d failed webhook deliveries (last: %s)",
                                due.owner(), due.notice(), attempts, failure);
                    } else {
                        Duration pause = backoff(attempts, settings);
                        postpone(c, due, attempts, now.plus(pause), failure);
                        failed++;
                        count("failed");
                        LOG.warnf("notification %s:%d not delivered to the webhook (attempt %d, next in %s): %s",
                                due.owner(), due.notice(), attempts, pause, failure);
                    }
                    break;
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        return new Pass(delivered, failed, dropped);
    }

    private static List<Due> due(Connection c, Instant now, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select o.owner_id, o.notice_id, o.attempts, n.kind, n.created_at"
                + " from notification_outbox o join owner_notification n on n.owner_id = o.owner_id and n.notice_id = o.notice_id"
                + " where o.next_attempt_at <= ? order by o.next_attempt_at, o.notice_id limit ? for update of o skip locked")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setInt(2, limit);
            List<Due> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Due(rs.getObject(1, UUID.class), rs.getLong(2), rs.getInt(3), rs.getString(4),
                            rs.getTimestamp(5).toInstant()));
                }
            }
            return out;
        }
    }

    /** Null when the webhook took it (2xx); else what went wrong, without any of the notice's content. */
    private String deliver(URI url, WebhookSignature signature, Due due, Duration timeout) {
        String id = due.owner() + ":" + due.notice();
        byte[] body;
        try {
            body = json.writeValueAsBytes(new Payload(id, due.owner(), due.kind(), due.createdAt()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("serializing a webhook payload failed", e);
        }
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", "application/json")
                .header(WebhookSignature.DELIVERY_HEADER, id)
                .header(WebhookSignature.HEADER, signature.sign(body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        try {
            int status = client(timeout).send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            return status >= 200 && status < 300 ? null : "HTTP " + status;
        } catch (IOException e) {
            // The class only: a message may quote the URL, whose query could hold the operator's token.
            return e.getClass().getSimpleName();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private HttpClient client(Duration timeout) {
        HttpClient c = http;
        if (c == null) {
            // Redirects are not followed: a signed body goes where the operator said, or nowhere.
            c = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
            http = c;
        }
        return c;
    }

    private static void delete(Connection c, Due due) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("delete from notification_outbox where owner_id = ? and notice_id = ?")) {
            ps.setObject(1, due.owner());
            ps.setLong(2, due.notice());
            ps.executeUpdate();
        }
    }

    private static void postpone(Connection c, Due due, int attempts, Instant next, String failure) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update notification_outbox set attempts = ?, next_attempt_at = ?,"
                + " last_error = ? where owner_id = ? and notice_id = ?")) {
            ps.setInt(1, attempts);
            ps.setTimestamp(2, Timestamp.from(next));
            ps.setString(3, failure);
            ps.setObject(4, due.owner());
            ps.setLong(5, due.notice());
            ps.executeUpdate();
        }
    }

    /** initial × 2^(attempts − 1), at most max. */
    static Duration backoff(int attempts, VaultConfig.Notifications settings) {
        Duration pause = settings.initialBackoff().multipliedBy(1L << Math.min(Math.max(attempts - 1, 0), 30));
        return pause.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : pause;
    }

    private void count(String outcome) {
        Counter.builder("vitalvault.notifications.webhook").tag("outcome", outcome)
                .description("notifications delivered to the webhook, failed attempts, and notifications given up")
                .register(registry).increment();
    }
}
