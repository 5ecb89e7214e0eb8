package org.vitalvault.vault.storage;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.vitalvault.vault.config.VaultConfig;

/**
 * Runs {@link Compactor} passes in the background: back to back while there is work, then every
 * {@code vitalvault.compaction.interval}. A failed pass (PostgreSQL away) is logged and retried at
 * the next tick; nothing is lost, since batches stay until a pass consumed them.
 */
@ApplicationScoped
public class CompactionJob {

    private static final Logger LOG = Logger.getLogger(CompactionJob.class);

    @Inject
    Compactor compactor;

    @Inject
    VaultConfig config;

    private ScheduledExecutorService executor;

    void onStart(@Observes StartupEvent event) {
        VaultConfig.Compaction c = config.compaction();
        if (!c.enabled()) {
            LOG.info("compaction disabled in this process");
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "compaction");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::runUntilIdle, c.interval().toMillis(), c.interval().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        if (executor != null) {
            executor.shutdownNow();
            executor.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private void runUntilIdle() {
        VaultConfig.Compaction c = config.compaction();
        try {
            Compactor.Result r;
            do {
                r = compactor.compact(c.maxHoursPerPass(),
                        new Compactor.Settling(c.minBatchAge(), c.maxPendingBatches()), c.epochGrace(),
                        c.retiredKeyGrace());
            } while (Math.max(r.hoursCompacted() + r.hoursResealed(), r.daysRewritten()) >= c.maxHoursPerPass() && !Thread.currentThread().isInterrupted());
        } catch (Exception e) {
            LOG.warnf("compaction pass failed, retrying in %s: %s", c.interval(), e.getMessage());
        }
    }
}
