package org.vitalvault.vault.storage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.vitalvault.metric.Metric;
import org.vitalvault.metric.MetricCatalogue;
import org.vitalvault.reading.Reading;
import org.vitalvault.segment.SegmentCodec;
import org.vitalvault.store.CompactionRows;
import org.vitalvault.store.DayRollups;
import org.vitalvault.store.SealedStore;
import org.vitalvault.store.VaultEpoch;
import org.vitalvault.vault.keys.OwnerKeyring;

/**
 * Rewrites one hour in one transaction: opens its pending batches and its existing compacted hour,
 * drops duplicates, writes the hour back compressed and sealed with its rollup under the owner's
 * current vault epoch, rewrites its day's rollup, deletes exactly the batch rows it consumed and
 * records when each device was last seen. Both {@link CompactHours} (pending batches) and
 * {@link ResealAfterRotation} (hours on a retired key) use it: re-sealing is the same rewrite.
 *
 * <p>Safe beside ingest (the gateway only inserts new batch ids; only the ids read are deleted) and
 * on several replicas (a transaction-scoped advisory lock per hour; a replica that cannot take it
 * skips the hour). Rows of an owner erased meanwhile are deleted instead (a gateway wrote them
 * after the erasure, sealed to a destroyed key).
 */
@ApplicationScoped
public class HourCompaction {

    private static final MetricCatalogue CATALOGUE = MetricCatalogue.standard();

    /** What became of one hour. */
    public enum Kind {
        /** Rewritten (compacted or re-sealed). */
        REWRITTEN,
        /** Another transaction holds the hour's lock: left for the next pass. */
        LOCKED,
        /** The owner was erased: the rows left behind were deleted. */
        OWNER_GONE,
        /** Nothing there any more. */
        NOTHING,
        /** Its rows cannot be opened: skipped until restart. */
        UNREADABLE
    }

    /** One hour's outcome; {@code rows} counts consumed batches, or deleted rows of an erased owner. */
    public record Outcome(Kind kind, int rows) {
    }

    @Inject
    CompactionTransactions transactions;

    @Inject
    OwnerKeyring keyring;

    /** Rewrites {@code hour} in a transaction of its own; {@code sessions} caches owners' keys for the pass. */
    Outcome rewrite(CompactionRows.Unit hour, OwnerSessions sessions, Instant now) throws SQLException {
        OwnerKeyring.Session keys = sessions.of(hour.ownerId());
        return transactions.onUnit(hour, "hour", c -> rewrite(c, hour, keys, now))
                .orElse(new Outcome(Kind.UNREADABLE, 0));
    }

    private Outcome rewrite(Connection c, CompactionRows.Unit hour, OwnerKeyring.Session keys, Instant now)
            throws SQLException {
        if (!CompactionRows.tryLockHour(c, hour)) {
            return new Outcome(Kind.LOCKED, 0);
        }
        boolean ownerExists = CompactionTransactions.lockOwnerShared(c, hour.ownerId());
        Optional<OwnerKeyring.CurrentKey> current = ownerExists ? keyring.currentKey(c, hour.ownerId()) : Optional.empty();
        if (current.isEmpty()) {
            return new Outcome(Kind.OWNER_GONE, CompactionRows.deleteRowsOfErasedOwner(c, hour.ownerId()));
        }
        Metric metric = CATALOGUE.byCode(hour.metric()).orElseThrow(
                () -> new IllegalStateException("metric " + hour.metric() + " is not in the catalogue"));
        Instant next = hour.start().plus(Duration.ofHours(1));
        SealedStore.Pending pending = SealedStore.pending(c, keys, hour.ownerId(), hour.metric(), hour.start(), next);
        List<SealedStore.Hour> existing = SealedStore.hours(c, keys, hour.ownerId(), hour.metric(), hour.start(),
                next, true);
        List<Reading> incoming = pending.readings().getOrDefault(hour.start(), List.of());
        List<UUID> batchIds = pending.batchIds().getOrDefault(hour.start(), List.of());
        if (incoming.isEmpty() && existing.isEmpty()) {
            return new Outcome(Kind.NOTHING, 0);
        }
        List<Reading> all = new ArrayList<>(incoming);
        existing.forEach(h -> all.addAll(h.points()));
        List<Reading> unique = SegmentCodec.deduplicate(all);
        VaultEpoch epoch = VaultEpoch.current(c, keys, hour.ownerId(), current.get().keyVersion(),
                current.get().publicKey(), now);
        SealedStore.writeHour(c, hour.ownerId(), metric, hour.start(), epoch, unique, now);
        DayRollups.rewrite(c, keys, hour.ownerId(), hour.metric(), DayRollups.dayOf(hour.start()), epoch);
        if (!batchIds.isEmpty()) {
            CompactionRows.deleteBatches(c, hour, batchIds);
            updateLastSeen(c, hour.ownerId(), incoming);
        }
        return new Outcome(Kind.REWRITTEN, batchIds.size());
    }

    /** The owner's device list shows when each device was last heard from: its latest received time consumed here. */
    private static void updateLastSeen(Connection c, UUID ownerId, List<Reading> readings) throws SQLException {
        Map<UUID, Long> latest = new HashMap<>();
        for (Reading r : readings) {
            latest.merge(r.deviceId(), r.receivedTimeMillis(), Math::max);
        }
        try (PreparedStatement ps = c.prepareStatement("""
                update device set last_seen_at = greatest(coalesce(last_seen_at, ?), ?)
                 where owner_id = ? and device_id = ?
                """)) {
            for (Map.Entry<UUID, Long> e : latest.entrySet()) {
                Timestamp seen = new Timestamp(e.getValue());
                ps.setTimestamp(1, seen);
                ps.setTimestamp(2, seen);
                ps.setObject(3, ownerId);
                ps.setObject(4, e.getKey());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
