package org.vitalvault.vault.storage;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;
import org.vitalvault.store.CompactionBacklog;
import org.vitalvault.vault.config.VaultConfig;

/**
 * Compaction: runs the passes in order, each in transactions of its own ({@link CompactionTransactions}):
 * <ol>
 *   <li>{@link CompactHours} — pending batches into sealed, compressed hours and their days;</li>
 *   <li>{@link ResealAfterRotation} — hours (and their days) still on a retired owner key, to the current one;</li>
 *   <li>{@link RollUpDays} — daily rollups missing (days compacted before V9) or on a retired key;</li>
 *   <li>{@link RewrapEpochKeys} — vault epoch keys under the current KEK after a KEK rotation;</li>
 *   <li>{@link CollectEpochs} — epochs nothing refers to;</li>
 *   <li>{@link DestroyRetiredKeys} — retired key pairs no epoch needs.</li>
 * </ol>
 * The order matters: re-sealing moves hours off a retired key's epochs, which collecting then
 * removes, which lets the key pair be destroyed. In the background it runs back to back while
 * there is work, then every {@code vitalvault.compaction.interval}; a failed run (PostgreSQL away)
 * is logged and retried at the next tick — nothing is lost, batches stay until a pass consumed them.
 * Safe on several replicas at once (see {@link HourCompaction}; docs/decisions/042). What this
 * replica's passes did (not the owner compaction before an export) is counted at /q/metrics ({@code vitalvault_compaction_hours_rewritten_total},
 * {@code _batches_consumed_total}, {@code _hours_skipped_total}: hours another replica held or
 * that cannot be opened), so an operator sees which replicas compact and how often they meet.
 */
@ApplicationScoped
public class CompactionJob {

    private static final Logger LOG = Logger.getLogger(CompactionJob.class);

    /** What one run did. */
    public record Result(int hoursCompacted, int batchesConsumed, int hoursResealed, int daysRewritten, int hoursSkipped,
                         int epochsRemoved, int keysDestroyed, int orphanRowsRemoved) {
        boolean didSomething() {
            return hoursCompacted + hoursResealed + daysRewritten + epochsRemoved + keysDestroyed + orphanRowsRemoved > 0;
        }
    }

    @Inject
    CompactHours compactHours;

    @Inject
    ResealAfterRotation reseal;

    @Inject
    RollUpDays rollUpDays;

    @Inject
    RewrapEpochKeys rewrapEpochKeys;

    @Inject
    CollectEpochs collectEpochs;

    @Inject
    DestroyRetiredKeys destroyRetiredKeys;

    @Inject
    VaultConfig config;

    @Inject
    CompactionTransactions transactions;

    @Inject
    Clock clock;

    @Inject
    MeterRegistry registry;

    private ScheduledExecutorService executor;
    private Counter hoursRewritten;
    private Counter batchesConsumed;
    private Counter hoursSkipped;

    @PostConstruct
    void meters() {
        hoursRewritten = Counter.builder("vitalvault.compaction.hours.rewritten")
                .description("hours this replica compacted or re-sealed").register(registry);
        batchesConsumed = Counter.builder("vitalvault.compaction.batches.consumed")
                .description("pending batches this replica moved into compacted hours").register(registry);
        hoursSkipped = Counter.builder("vitalvault.compaction.hours.skipped")
                .description("hours this replica left because another replica held them, or unreadable").register(registry);
    }

    /** Pending batches left after this process's last pass (the backlog dashboards show); -1 before the first. */
    private final AtomicLong pendingBatches = new AtomicLong(-1);

    /**
     * One run of every pass, each over at most {@code maxUnits} hours, days or owners; pending hours
     * only once settled.
     *
     * @param epochGrace how long after creation an epoch nothing refers to is kept: a gateway keeps
     *                   sealing under its epoch for up to its epoch length, so this must exceed it
     * @param keyGrace   how long after retirement a key pair is kept at least (gateways still sealing
     *                   to it until their device cache refreshes)
     */
    public Result compact(int maxUnits, Settling settling, Duration epochGrace, Duration keyGrace) throws SQLException {
        Instant now = clock.instant();
        HourCounts compacted = compactHours.settled(maxUnits, settling, now);
        HourCounts resealed = reseal.run(maxUnits, now);
        int days = rollUpDays.run(maxUnits, now);
        rewrapEpochKeys.run(maxUnits, now);
        int epochs = collectEpochs.run(now, epochGrace, keyGrace);
        int keys = destroyRetiredKeys.run(now, keyGrace);
        Result result = new Result(compacted.rewritten(), compacted.batchesConsumed() + resealed.batchesConsumed(),
                resealed.rewritten(), days, compacted.skipped() + resealed.skipped(), epochs, keys,
                compacted.orphanRowsRemoved() + resealed.orphanRowsRemoved());
        hoursRewritten.increment(result.hoursCompacted() + result.hoursResealed());
        batchesConsumed.increment(result.batchesConsumed());
        hoursSkipped.increment(result.hoursSkipped());
        if (result.didSomething()) {
            LOG.debugf("compaction: %s", result);
        }
        return result;
    }

    /** One run taking every pending hour, settled or not (tests). */
    public Result compact(int maxUnits, Duration epochGrace, Duration keyGrace) throws SQLException {
        return compact(maxUnits, Settling.NONE, epochGrace, keyGrace);
    }

    /** Compacts everything pending of one owner (before an export), {@code maxHours} per transaction round. */
    public void compactOwner(UUID ownerId, int maxHours) throws SQLException {
        while (compactHours.ofOwner(ownerId, maxHours, clock.instant()).rewritten() > 0) {
            // until nothing of the owner is pending
        }
    }

    void onStart(@Observes StartupEvent event) {
        VaultConfig.Compaction c = config.compaction();
        if (!c.enabled()) {
            LOG.info("compaction disabled in this process");
            return;
        }
        // At /q/metrics as vitalvault_compaction_pending_batches: counted once per pass, not per scrape.
        Gauge.builder("vitalvault.compaction.pending.batches", pendingBatches, AtomicLong::doubleValue)
                .description("gateway batches not yet compacted into sealed hours, after the last pass")
                .register(registry);
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
        Settling settling = new Settling(c.minBatchAge(), c.maxPendingBatches());
        try {
            Result r;
            do {
                r = compact(c.maxHoursPerPass(), settling, c.epochGrace(), c.retiredKeyGrace());
            } while (Math.max(r.hoursCompacted() + r.hoursResealed(), r.daysRewritten()) >= c.maxHoursPerPass()
                    && !Thread.currentThread().isInterrupted());
            pendingBatches.set(transactions.read(conn -> CompactionBacklog.of(conn).pendingBatches()));
        } catch (Exception e) {
            LOG.warnf("compaction pass failed, retrying in %s: %s", c.interval(), e.getMessage());
        }
    }
}
