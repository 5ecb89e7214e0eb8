package org.vitalvault.vault.notify;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.vitalvault.vault.config.VaultConfig;

/**
 * The background thread of {@link WebhookOutbox}, every {@code vitalvault.notifications.poll-interval},
 * on every replica (no leader: entries are locked one replica at a time). Only when a webhook is
 * configured; its settings are checked at start-up, and a bad one stops the vault.
 */
@ApplicationScoped
public class WebhookWorker {

    private static final Logger LOG = Logger.getLogger(WebhookWorker.class);
    /** Shorter secrets are refused: the HMAC key must not be guessable. */
    static final int MIN_SECRET_LENGTH = 32;
    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    @Inject
    WebhookOutbox outbox;

    @Inject
    VaultConfig config;

    @Inject
    Clock clock;

    private ScheduledExecutorService executor;

    void onStart(@Observes StartupEvent event) {
        VaultConfig.Notifications n = config.notifications();
        if (n.webhookUrl().isEmpty()) {
            if (n.webhookSecret().isPresent()) {
                LOG.warn("vitalvault.notifications.webhook-secret is set but no webhook-url: nothing is delivered");
            }
            return;
        }
        URI url = check(n);
        LOG.infof("notifications are announced to the webhook at %s://%s", url.getScheme(), url.getAuthority());
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "notification-webhook");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::drain, 0, n.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        if (executor != null) {
            executor.shutdownNow();
            executor.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    /** The webhook's URL, once its settings are usable; else a message naming the setting. */
    static URI check(VaultConfig.Notifications n) {
        URI url = n.webhookUrl().orElseThrow();
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || url.getHost() == null) {
            throw new IllegalStateException("vitalvault.notifications.webhook-url must be an http or https URL with a host");
        }
        if (n.webhookSecret().filter(s -> s.length() >= MIN_SECRET_LENGTH).isEmpty()) {
            throw new IllegalStateException("vitalvault.notifications.webhook-secret (VITALVAULT_NOTIFICATIONS_WEBHOOK_SECRET)"
                    + " must be set to at least " + MIN_SECRET_LENGTH + " characters when webhook-url is set");
        }
        if (n.maxAttempts() < 1 || n.batchSize() < 1 || n.batchSize() > 1000) {
            throw new IllegalStateException("vitalvault.notifications.max-attempts must be at least 1 and batch-size 1 to 1000");
        }
        if (n.pollInterval().isNegative() || n.pollInterval().isZero() || n.initialBackoff().isNegative()
                || n.timeout().isNegative() || n.timeout().isZero() || n.maxBackoff().compareTo(n.initialBackoff()) < 0) {
            throw new IllegalStateException("vitalvault.notifications: poll-interval and timeout must be positive,"
                    + " max-backoff at least initial-backoff");
        }
        if (scheme.equals("http") && !LOOPBACK.contains(url.getHost())) {
            // Decision 034: plaintext only on loopback. Allowed (a sidecar may terminate TLS), but said.
            LOG.warnf("vitalvault.notifications.webhook-url is plain http to %s: use https across a network", url.getHost());
        }
        return url;
    }

    private void drain() {
        try {
            outbox.drain(clock.instant());
        } catch (Exception e) {
            // PostgreSQL away: the entries stay, the next tick tries again.
            LOG.warnf("notification webhook outbox: %s", e.getClass().getSimpleName());
        }
    }
}
