package org.vitalvault.vault.audit.tree;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.vitalvault.store.audit.AuditCheckpoints;
import org.vitalvault.store.audit.AuditTiles;
import org.vitalvault.store.audit.TreeHead;
import org.vitalvault.tlog.Checkpoint;
import org.vitalvault.tlog.MerkleProofs;
import org.vitalvault.tlog.MissingNodeException;
import org.vitalvault.tlog.SignedNote;
import org.vitalvault.vault.audit.CheckpointWitness;
import org.vitalvault.vault.config.VaultConfig;
import org.vitalvault.vault.keys.VaultSigner;

/**
 * Signs the log's tree heads: every {@code vitalvault.audit.checkpoint-interval}, on every replica,
 * when the integrated tree ({@code audit_head}) grew past the latest checkpoint — and once for the
 * empty tree, so a checkpoint exists from the start — it signs a C2SP checkpoint with the vault's
 * Ed25519 key and stores it. Replicas may race: Ed25519 is deterministic, so both sign the same
 * note and the second insert is a no-op.
 *
 * <p>It signs only what the stored tree proves. The root is recomputed from the tiles and must
 * equal {@code audit_head}'s, and the tiles must still give the latest checkpoint's root at its size
 * (the new tree extends the one already published). Otherwise it refuses: the signature would vouch
 * for a head an intruder may have written, or publish a fork. A refusal is logged as an error and
 * counted ({@code vitalvault_audit_checkpoints_refused_total}); the next tick tries again, so the log
 * stays unsigned until an operator looks.
 *
 * <p>Each newly stored checkpoint goes to every {@link CheckpointWitness} after it committed.
 */
@ApplicationScoped
public class CheckpointSigner {

    private static final Logger LOG = Logger.getLogger(CheckpointSigner.class);
    private static final String SERIALIZATION_FAILURE = "40001";

    /** What one run did. */
    public enum Outcome {
        /** A new checkpoint was stored by this replica. */
        SIGNED,
        /** Nothing to sign: the tree has not grown past the latest checkpoint (or another replica stored it first). */
        UNCHANGED,
        /** The stored tree does not prove the head; nothing was signed. */
        REFUSED
    }

    @Inject
    AuditConnections connections;

    @Inject
    VaultSigner signer;

    @Inject
    LogKey logKey;

    @Inject
    VaultConfig config;

    @Inject
    Clock clock;

    @Inject
    MeterRegistry registry;

    @Inject
    @Any
    Instance<CheckpointWitness> witnesses;

    private Counter signed;
    private Counter refused;
    private Counter witnessFailures;
    private ScheduledExecutorService executor;

    private record Run(Outcome outcome, AuditCheckpoints.Stored stored) {
    }

    @PostConstruct
    void meters() {
        signed = Counter.builder("vitalvault.audit.checkpoints.signed")
                .description("checkpoints this replica signed and stored").register(registry);
        refused = Counter.builder("vitalvault.audit.checkpoints.refused")
                .description("times this replica refused to sign: the stored tree does not prove the head").register(registry);
        witnessFailures = Counter.builder("vitalvault.audit.witness.failures")
                .description("checkpoints a witness failed to publish").register(registry);
    }

    /** Signs and stores a checkpoint of the integrated tree if it grew (see the class comment). */
    public Outcome signIfGrown() throws SQLException {
        Run run;
        try {
            run = sign();
        } catch (SQLException e) {
            if (!SERIALIZATION_FAILURE.equals(e.getSQLState())) {
                throw e;
            }
            // Another replica stored the same checkpoint after this snapshot began: nothing left to do.
            return Outcome.UNCHANGED;
        }
        if (run.outcome() == Outcome.REFUSED) {
            refused.increment();
        } else if (run.outcome() == Outcome.SIGNED) {
            signed.increment();
            publish(run.stored());
        }
        return run.outcome();
    }

    private Run sign() throws SQLException {
        // One snapshot: the head, the latest checkpoint and the tiles are read from one committed state.
        return connections.inTransaction(Connection.TRANSACTION_REPEATABLE_READ, c -> {
            TreeHead head = AuditTiles.head(c);
            Optional<AuditCheckpoints.Stored> latest = AuditCheckpoints.latest(c);
            if (latest.isPresent() && head.size() <= latest.get().size()) {
                if (head.size() < latest.get().size()
                        || !MessageDigest.isEqual(head.rootHash(), latest.get().rootHash())) {
                    return refuse("the integrated tree (size " + head.size() + ") is behind or beside the latest checkpoint (size "
                            + latest.get().size() + ")");
                }
                return new Run(Outcome.UNCHANGED, null);
            }
            AuditTiles tiles = new AuditTiles(c);
            byte[] root;
            try {
                root = MerkleProofs.root(head.size(), tiles);
                if (latest.isPresent()
                        && !MessageDigest.isEqual(MerkleProofs.root(latest.get().size(), tiles), latest.get().rootHash())) {
                    return refuse("the stored tree no longer has the root of the latest checkpoint (size "
                            + latest.get().size() + ")");
                }
            } catch (MissingNodeException e) {
                return refuse("the stored tree misses nodes of size " + head.size() + ": " + e.getMessage());
            }
            if (!MessageDigest.isEqual(root, head.rootHash())) {
                return refuse("the root of the stored tree of size " + head.size() + " is "
                        + Base64.getEncoder().encodeToString(root) + ", the head says "
                        + Base64.getEncoder().encodeToString(head.rootHash()));
            }
            String text = new Checkpoint(logKey.origin(), head.size(), root).text();
            String note = SignedNote.sign(text, logKey.noteKey(), signer::signNoteText);
            AuditCheckpoints.Stored stored = new AuditCheckpoints.Stored(head.size(), root, note, clock.instant());
            return AuditCheckpoints.insert(c, stored) ? new Run(Outcome.SIGNED, stored) : new Run(Outcome.UNCHANGED, null);
        });
    }

    private static Run refuse(String why) {
        LOG.errorf("audit log: refusing to sign a checkpoint: %s", why);
        return new Run(Outcome.REFUSED, null);
    }

    /** Hands one stored checkpoint to every witness; one witness failing stops neither the others nor signing. */
    void publish(AuditCheckpoints.Stored stored) {
        for (CheckpointWitness w : witnesses) {
            try {
                w.publish(stored.note(), stored.size());
            } catch (Exception e) {
                witnessFailures.increment();
                LOG.warnf("audit log: witness %s did not take the checkpoint of size %d: %s",
                        w.getClass().getSimpleName(), stored.size(), e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
    }

    void onStart(@Observes StartupEvent event) {
        VaultConfig.Audit a = config.audit();
        if ((a.checkpointInterval().isNegative() || a.checkpointInterval().isZero())) {
            throw new IllegalStateException("vitalvault.audit.checkpoint-interval must be positive");
        }
        logKey.noteKey();   // an origin that is no key name stops the vault here, not at the first checkpoint
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "audit-checkpoints");
            t.setDaemon(true);
            return t;
        });
        // At once: a fresh log gets its empty-tree checkpoint at start.
        executor.scheduleWithFixedDelay(this::run, 0, Math.max(1, a.checkpointInterval().toMillis()), TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        if (executor != null) {
            executor.shutdownNow();
            executor.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private void run() {
        try {
            signIfGrown();
        } catch (Exception e) {
            LOG.warnf("audit log checkpoint failed, retrying in %s: %s", config.audit().checkpointInterval(),
                    e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
