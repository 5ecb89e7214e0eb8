package org.vitalvault.vault.broker;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;
import org.vitalvault.vault.config.VaultConfig;

/**
 * The background thread of {@link BrokerOutbox}: every {@code vitalvault.broker.outbox-interval},
 * and at once when an unpairing commits. Only where a broker is provisioned.
 */
@ApplicationScoped
public class BrokerOutboxWorker {

    private static final Logger LOG = Logger.getLogger(BrokerOutboxWorker.class);

    @Inject
    BrokerOutbox outbox;

    @Inject
    BrokerProvisioner provisioner;

    @Inject
    VaultConfig config;

    private ScheduledExecutorService executor;
    private final AtomicBoolean wakePending = new AtomicBoolean();

    void onStart(@Observes StartupEvent event) {
        if (!provisioner.enabled()) {
            return;
        }
        LOG.infof("devices are provisioned at the broker: %s", provisioner);
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "broker-outbox");
            t.setDaemon(true);
            return t;
        });
        long interval = config.broker().outboxInterval().toMillis();
        executor.scheduleWithFixedDelay(this::drain, 0, interval, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        if (executor != null) {
            executor.shutdownNow();
            executor.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    /** Works off the outbox soon (an unpairing just committed); several wakes before it runs count once. */
    public void wake() {
        if (executor != null && wakePending.compareAndSet(false, true)) {
            executor.execute(() -> {
                wakePending.set(false);
                drain();
            });
        }
    }

    /** Deletes the login a failed pairing may have left, off the request thread. */
    public void cleanUpFailedPairing(UUID deviceId) {
        if (executor != null) {
            executor.execute(() -> outbox.cleanUpFailedPairing(deviceId));
        }
    }

    private void drain() {
        try {
            outbox.drain();
        } catch (Exception e) {
            // PostgreSQL away: the entries stay, the next tick tries again.
            LOG.warnf("broker outbox: %s", e.getMessage());
        }
    }
}
