package org.vitalvault.vault.audit.tree;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;
import org.vitalvault.store.audit.AuditIntegrator;
import org.vitalvault.vault.config.VaultConfig;

/**
 * Gives queued log entries their leaf index: every {@code vitalvault.audit.integrate-interval}, on
 * every replica, one {@link AuditIntegrator#integrate} per transaction of its own, again at once
 * while a call integrated a full batch ({@code integrate-batch}). No leader: the integrator takes a
 * transaction-scoped advisory lock and a replica that does not get it simply waits for the next
 * tick. A failed run (PostgreSQL away) is logged and retried at the next tick; nothing is lost,
 * the entries stay queued.
 *
 * <p>Metrics (/q/metrics): {@code vitalvault_audit_entries_integrated_total} (by this replica) and
 * {@code vitalvault_audit_pending_entries} (queued, counted after one of this replica's runs at most
 * every 10 s).
 */
@ApplicationScoped
public class AuditSequencer {

    private static final Logger LOG = Logger.getLogger(AuditSequencer.class);

    @Inject
    AuditConnections connections;

    @Inject
    VaultConfig config;

    @Inject
    MeterRegistry registry;

    /*
     * The queue is counted at most this often: a count(*) of audit_pending scans it, and at every
     * tick (200 ms) it was a twentieth of PostgreSQL's time under 20,000 appends/s
     * (deploy/bench/audit.sh, issue 17); a gauge scraped every 15 s or more loses nothing.
     */
    private static final long COUNT_EVERY_NANOS = 10_000_000_000L;

    private final AtomicLong pending = new AtomicLong(-1);
    private volatile long lastCount;
    private Counter integrated;
    private ScheduledExecutorService executor;

    @PostConstruct
    void meters() {
        integrated = Counter.builder("vitalvault.audit.entries.integrated")
                .description("log entries this replica gave a leaf index").register(registry);
        Gauge.builder("vitalvault.audit.pending.entries", pending, AtomicLong::doubleValue)
                .description("log entries queued for a leaf index, counted after a run of this replica at most every 10 s (-1 before the first)")
                .register(registry);
    }

    /**
     * One integration transaction of at most {@code maxEntries}. Empty when another replica held the
     * sequencer's lock.
     */
    public Optional<AuditIntegrator.Integration> integrateOnce(int maxEntries) throws SQLException {
        Optional<AuditIntegrator.Integration> done = connections.inTransaction(c -> AuditIntegrator.integrate(c, maxEntries));
        done.ifPresent(i -> integrated.increment(i.integrated()));
        return done;
    }

    /**
     * Integrates until the queue is empty (or another replica holds the lock); returns how many
     * entries this call integrated.
     */
    public long integrateAll() throws SQLException {
        int batch = config.audit().integrateBatch();
        long total = 0;
        Optional<AuditIntegrator.Integration> run;
        do {
            run = integrateOnce(batch);
            total += run.map(AuditIntegrator.Integration::integrated).orElse(0);
        } while (run.isPresent() && run.get().integrated() >= batch && !Thread.currentThread().isInterrupted());
        long now = System.nanoTime();
        if (lastCount != 0 && now - lastCount < COUNT_EVERY_NANOS) {
            return total;
        }
        lastCount = now == 0 ? 1 : now;
        pending.set(connections.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("select count(*) from audit_pending");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }));
        return total;
    }

    void onStart(@Observes StartupEvent event) {
        VaultConfig.Audit a = config.audit();
        if (a.integrateBatch() < 1 || (a.integrateInterval().isNegative() || a.integrateInterval().isZero())) {
            throw new IllegalStateException("vitalvault.audit.integrate-batch must be at least 1 and integrate-interval positive");
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "audit-sequencer");
            t.setDaemon(true);
            return t;
        });
        long every = a.integrateInterval().toMillis();
        executor.scheduleWithFixedDelay(this::run, 0, Math.max(1, every), TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        if (executor != null) {
            executor.shutdownNow();
            executor.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private void run() {
        try {
            integrateAll();
        } catch (Exception e) {
            LOG.warnf("audit log integration failed, retrying in %s: %s", config.audit().integrateInterval(),
                    e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
