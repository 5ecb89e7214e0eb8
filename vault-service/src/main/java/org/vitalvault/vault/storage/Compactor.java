package org.vitalvault.vault.storage;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.vitalvault.crypto.SealBrokenException;
import org.vitalvault.metric.Metric;
import org.vitalvault.metric.MetricCatalogue;
import org.vitalvault.reading.Reading;
import org.vitalvault.vault.keys.OwnerKeyring;
import org.vitalvault.segment.SegmentCodec;

/**
 * Moves the gateway's pending batches into compacted hours: for each (owner, metric, hour) with
 * pending rows it opens them and the hour's existing segment, drops duplicates, writes the hour
 * back compressed and sealed with its rollup, and deletes exactly the batch rows it consumed — all
 * in one transaction. Late data (up to the gateway's 30 days) simply lands in its hour's group.
 *
 * <p>Safe to run concurrently with ingest (the gateway only inserts new batch ids; only the ids
 * read are deleted) and on several vault replicas (a transaction-scoped advisory lock per hour; a
 * replica that cannot take it skips the hour for this pass). Idempotent: with nothing pending a
 * pass changes nothing. The same pass also re-seals hours still sealed to a retired owner key,
 * removes epochs nothing refers to, destroys retired key pairs nothing needs, and deletes rows of
 * erased owners that a gateway wrote after the erasure.
 */
@ApplicationScoped
public class Compactor {

    private static final Logger LOG = Logger.getLogger(Compactor.class);
    private static final MetricCatalogue CATALOGUE = MetricCatalogue.standard();

    /** What one pass did. */
    public record Result(int hoursCompacted, int batchesConsumed, int hoursResealed, int daysRewritten, int hoursSkipped,
                         int epochsRemoved, int keysDestroyed, int orphanRowsRemoved) {
        boolean didSomething() {
            return hoursCompacted + hoursResealed + daysRewritten + epochsRemoved + keysDestroyed + orphanRowsRemoved > 0;
        }
    }

    private record HourKey(UUID ownerId, String metric, Instant bucket) {
        long lockKey() {
            return ownerId.getMostSignificantBits() ^ ownerId.getLeastSignificantBits() * 31
                    ^ metric.hashCode() * 1_000_003L ^ bucket.getEpochSecond();
        }
    }

    @Inject
    AgroalDataSource dataSource;

    @Inject
    OwnerKeyring keyring;

    @Inject
    Clock clock;

    /** Hours whose batches could not be opened; skipped until restart so they cannot starve the rest. */
    private final Set<HourKey> unreadable = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * One pass over at most {@code maxHours} pending hours (oldest first) and as many hours to re-seal.
     *
     * @param epochGrace how long after creation an epoch nothing refers to is kept: a gateway keeps
     *                   sealing under its epoch for up to its epoch length, so this must exceed it
     * @param keyGrace   how long after retirement a key pair is kept at least (gateways still sealing
     *                   to it until their device cache refreshes)
     */
    public Result compact(int maxHours, Duration epochGrace, Duration keyGrace) throws SQLException {
        return compact(null, maxHours, Settling.NONE, epochGrace, keyGrace);
    }

    /**
     * When an hour with pending batches is worth compacting. Compacting re-reads and re-seals the
     * hour's whole segment, so compacting an hour that is still filling at every pass costs work
     * quadratic in the hour's size and steals CPU from ingest; waiting costs reads a few more
     * batches to open. An hour is taken once its oldest pending batch is {@code minBatchAge} old or
     * it has {@code maxPendingBatches} pending batches, whichever comes first.
     */
    public record Settling(Duration minBatchAge, int maxPendingBatches) {
        /** Every pending hour at once (tests, exports). */
        public static final Settling NONE = new Settling(Duration.ZERO, 1);
    }

    /** One pass of the background job: only hours that have settled (see {@link Settling}). */
    public Result compact(int maxHours, Settling settling, Duration epochGrace, Duration keyGrace) throws SQLException {
        return compact(null, maxHours, settling, epochGrace, keyGrace);
    }

    /** Compacts everything pending of one owner (before an export), in passes of {@code maxHours}. */
    public void compactOwner(UUID ownerId, int maxHours) throws SQLException {
        while (compact(ownerId, maxHours, Settling.NONE, null, null).hoursCompacted() > 0) {
            // until nothing of the owner is pending
        }
    }

    private Result compact(UUID onlyOwner, int maxHours, Settling settling, Duration epochGrace, Duration keyGrace)
            throws SQLException {
        Instant now = clock.instant();
        List<HourKey> pending = pendingHours(onlyOwner, maxHours, settling, now);
        List<HourKey> stale = onlyOwner == null ? hoursOnRetiredKeys(maxHours) : List.of();
        int compacted = 0;
        int consumed = 0;
        int resealed = 0;
        int skipped = 0;
        int orphans = 0;
        // Per owner and pass: the keys opened once.
        Map<UUID, OwnerKeyring.Session> owners = new HashMap<>();
        try {
            for (HourKey hour : concat(pending, stale)) {
                OwnerKeyring.Session keys = owners.computeIfAbsent(hour.ownerId(), keyring::open);
                Optional<HourOutcome> done = inTransaction(hour, "hour", c -> compactHour(c, hour, keys, now));
                if (done.isEmpty()) {
                    skipped++;
                    continue;
                }
                HourOutcome outcome = done.get();
                switch (outcome.kind) {
                    case COMPACTED -> {
                        if (pending.contains(hour)) {
                            compacted++;
                        } else {
                            resealed++;
                        }
                        consumed += outcome.batches;
                    }
                    case LOCKED -> skipped++;
                    case OWNER_GONE -> orphans += outcome.batches;
                    case NOTHING -> { }
                }
            }
        } finally {
            owners.values().forEach(OwnerKeyring.Session::close);
        }
        int epochs = 0;
        int keys = 0;
        int days = 0;
        if (onlyOwner == null) {
            days = rewriteDays(maxHours, now);
            rewrapVaultEpochKeys(maxHours, now);
            epochs = removeUnreferencedEpochs(now, epochGrace, keyGrace);
            keys = destroyUnneededKeys(now, keyGrace);
        }
        Result result = new Result(compacted, consumed, resealed, days, skipped, epochs, keys, orphans);
        if (result.didSomething()) {
            LOG.debugf("compaction: %s", result);
        }
        return result;
    }

    private enum Kind { COMPACTED, LOCKED, OWNER_GONE, NOTHING }

    private record HourOutcome(Kind kind, int batches) {
    }

    private HourOutcome compactHour(Connection c, HourKey hour, OwnerKeyring.Session keys, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select pg_try_advisory_xact_lock(?)")) {
            ps.setLong(1, hour.lockKey());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return new HourOutcome(Kind.LOCKED, 0);
                }
            }
        }
        // Shares the owner row with other compactions; an erasure locks it for update, so either
        // this hour commits first and the erasure then deletes it, or the erasure commits first and
        // this transaction sees no owner — never a segment written after the owner is gone.
        boolean ownerExists;
        try (PreparedStatement ps = c.prepareStatement("select 1 from owner where owner_id = ? for share")) {
            ps.setObject(1, hour.ownerId());
            try (ResultSet rs = ps.executeQuery()) {
                ownerExists = rs.next();
            }
        }
        Optional<OwnerKeyring.CurrentKey> current = ownerExists ? keyring.currentKey(c, hour.ownerId()) : Optional.empty();
        if (current.isEmpty()) {
            return new HourOutcome(Kind.OWNER_GONE, deleteOwnerLeftovers(c, hour));
        }
        Metric metric = CATALOGUE.byCode(hour.metric()).orElseThrow(
                () -> new IllegalStateException("metric " + hour.metric() + " is not in the catalogue"));
        Instant next = hour.bucket().plus(Duration.ofHours(1));
        SealedStore.Pending pending = SealedStore.pending(c, keys, hour.ownerId(), hour.metric(), hour.bucket(), next);
        List<SealedStore.Hour> existing = SealedStore.hours(c, keys, hour.ownerId(), hour.metric(), hour.bucket(),
                next, true);
        List<Reading> incoming = pending.readings().getOrDefault(hour.bucket(), List.of());
        List<UUID> batchIds = pending.batchIds().getOrDefault(hour.bucket(), List.of());
        if (incoming.isEmpty() && existing.isEmpty()) {
            return new HourOutcome(Kind.NOTHING, 0);
        }
        List<Reading> all = new ArrayList<>(incoming);
        existing.forEach(h -> all.addAll(h.points()));
        List<Reading> unique = SegmentCodec.deduplicate(all);
        VaultEpoch epoch = VaultEpoch.current(c, keys, hour.ownerId(), current.get(), now);
        SealedStore.writeHour(c, hour.ownerId(), metric, hour.bucket(), epoch, unique, now);
        DayRollups.rewrite(c, keys, hour.ownerId(), hour.metric(), DayRollups.dayOf(hour.bucket()), epoch);
        if (!batchIds.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("""
                    delete from reading_batch
                     where owner_id = ? and metric = ? and bucket = ? and batch_id = any(?)
                    """)) {
                ps.setObject(1, hour.ownerId());
                ps.setString(2, hour.metric());
                ps.setTimestamp(3, Timestamp.from(hour.bucket()));
                ps.setArray(4, c.createArrayOf("uuid", batchIds.toArray()));
                ps.executeUpdate();
            }
            updateLastSeen(c, hour.ownerId(), incoming);
        }
        return new HourOutcome(Kind.COMPACTED, batchIds.size());
    }

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

    /** The owner was erased; a gateway wrote after the erasure (its device cache). Sealed to a destroyed key: delete. */
    private static int deleteOwnerLeftovers(Connection c, HourKey hour) throws SQLException {
        int rows = 0;
        for (String table : List.of("reading_batch", "reading_segment", "reading_day", "seal_epoch")) {
            try (PreparedStatement ps = c.prepareStatement("delete from " + table + " where owner_id = ?")) {
                ps.setObject(1, hour.ownerId());
                rows += ps.executeUpdate();
            }
        }
        return rows;
    }

    private List<HourKey> pendingHours(UUID onlyOwner, int max, Settling settling, Instant now) throws SQLException {
        String sql = """
                select owner_id, metric, bucket from reading_batch
                """ + (onlyOwner == null ? "" : " where owner_id = ? ") + """
                 group by owner_id, metric, bucket
                having min(stored_at) <= ? or count(*) >= ?
                 order by min(stored_at)
                 limit ?
                """;
        List<HourKey> hours = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (onlyOwner != null) {
                ps.setObject(i++, onlyOwner);
            }
            ps.setTimestamp(i++, java.sql.Timestamp.from(now.minus(settling.minBatchAge())));
            ps.setInt(i++, Math.max(1, settling.maxPendingBatches()));
            ps.setInt(i, max + unreadable.size());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next() && hours.size() < max) {
                    HourKey k = new HourKey(rs.getObject(1, UUID.class), rs.getString(2), rs.getTimestamp(3).toInstant());
                    if (!unreadable.contains(k)) {
                        hours.add(k);
                    }
                }
            }
        }
        return hours;
    }

    /** Compacted hours sealed under an epoch of a retired key version: re-sealed to the current key. */
    private List<HourKey> hoursOnRetiredKeys(int max) throws SQLException {
        List<HourKey> hours = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                select s.owner_id, s.metric, s.bucket
                  from reading_segment s
                  join seal_epoch e on e.owner_id = s.owner_id and e.epoch_id = s.epoch_id
                  join owner_key k on k.owner_id = e.owner_id and k.key_version = e.key_version
                 where k.retired_at is not null
                 limit ?
                """)) {
            ps.setInt(1, max);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    HourKey k = new HourKey(rs.getObject(1, UUID.class), rs.getString(2), rs.getTimestamp(3).toInstant());
                    if (!unreadable.contains(k)) {
                        hours.add(k);
                    }
                }
            }
        }
        return hours;
    }

    /**
     * Epochs no batch, segment or day refers to any more, except the vault epoch of an owner's
     * current key (it is reused by the next pass; deleting it cascades to vault_epoch). A gateway may still be sealing under an epoch
     * of the current key for up to its epoch length, so those are kept for {@code epochGrace}; an
     * epoch of a retired key receives nothing new once gateways refreshed their device cache.
     */
    private int removeUnreferencedEpochs(Instant now, Duration epochGrace, Duration keyGrace) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                delete from seal_epoch e
                 using owner_key k
                 where k.owner_id = e.owner_id and k.key_version = e.key_version
                   and (e.created_at < ? or (k.retired_at is not null and k.retired_at < ?))
                   and not exists (select 1 from reading_batch b where b.owner_id = e.owner_id and b.epoch_id = e.epoch_id)
                   and not exists (select 1 from reading_segment s where s.owner_id = e.owner_id and s.epoch_id = e.epoch_id)
                   and not exists (select 1 from reading_day d where d.owner_id = e.owner_id and d.epoch_id = e.epoch_id)
                   and not (k.retired_at is null
                            and exists (select 1 from vault_epoch v where v.owner_id = e.owner_id and v.epoch_id = e.epoch_id))
                """)) {
            ps.setTimestamp(1, Timestamp.from(now.minus(epochGrace)));
            ps.setTimestamp(2, Timestamp.from(now.minus(keyGrace)));
            return ps.executeUpdate();
        }
    }

    /**
     * Retired key pairs that no epoch refers to any more are destroyed: the wrapped private key is
     * overwritten, then the row deleted. From then on nothing sealed to that pair can be opened.
     */
    private int destroyUnneededKeys(Instant now, Duration keyGrace) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            String unneeded = """
                     where k.retired_at is not null and k.retired_at < ?
                       and not exists (select 1 from seal_epoch e where e.owner_id = k.owner_id and e.key_version = k.key_version)
                    """;
            try (PreparedStatement wipe = c.prepareStatement(
                    "update owner_key k set wrapped_private_key = '\\x00'::bytea " + unneeded);
                 PreparedStatement delete = c.prepareStatement("delete from owner_key k " + unneeded)) {
                Timestamp cutoff = Timestamp.from(now.minus(keyGrace));
                wipe.setTimestamp(1, cutoff);
                wipe.executeUpdate();
                delete.setTimestamp(1, cutoff);
                int destroyed = delete.executeUpdate();
                c.commit();
                return destroyed;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /**
     * Day rows that need writing without any hour changing: days compacted before day rollups existed
     * (until none is left, then recorded as complete) and days still sealed to a retired key.
     * Returns how many were written.
     */
    private int rewriteDays(int max, Instant now) throws SQLException {
        List<HourKey> days = new ArrayList<>();
        boolean backfilling;
        try (Connection c = dataSource.getConnection()) {
            backfilling = !DayRollups.complete(c);
            if (backfilling) {
                days.addAll(daysWithoutRow(c, max));
            }
            days.addAll(daysOnRetiredKeys(c, max));
            if (backfilling && days.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement(
                        "update rollup_backfill set complete = true where name = 'reading_day'")) {
                    ps.executeUpdate();
                }
                LOG.info("every compacted day has its daily rollup; cohort queries read days from now on");
            }
        }
        int written = 0;
        Map<UUID, OwnerKeyring.Session> sessions = new HashMap<>();
        try {
            for (HourKey day : days) {
                if (unreadable.contains(day)) {
                    continue;
                }
                OwnerKeyring.Session keys = sessions.computeIfAbsent(day.ownerId(), keyring::open);
                if (inTransaction(day, "day", c -> rewriteDay(c, day, keys, now)).orElse(false)) {
                    written++;
                }
            }
        } finally {
            sessions.values().forEach(OwnerKeyring.Session::close);
        }
        return written;
    }

    /**
     * After a KEK rotation the vault epochs' wrapped data keys are dropped; this derives them again
     * (HPKE, with the owner's private key) and wraps them under the current KEK, a few owners a pass.
     */
    private void rewrapVaultEpochKeys(int max, Instant now) throws SQLException {
        List<UUID> owners = new ArrayList<>();
        String kekId = keyring.kekId();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                select v.owner_id from vault_epoch v
                  join owner_key k on k.owner_id = v.owner_id and k.key_version = v.key_version and k.retired_at is null
                 where v.kek_id is distinct from ?
                 limit ?
                """)) {
            ps.setString(1, kekId);
            ps.setInt(2, max);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    owners.add(rs.getObject(1, UUID.class));
                }
            }
        }
        for (UUID owner : owners) {
            try (OwnerKeyring.Session keys = keyring.open(owner); Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try {
                    Optional<OwnerKeyring.CurrentKey> current = keyring.currentKey(c, owner);
                    if (current.isPresent()) {
                        VaultEpoch.current(c, keys, owner, current.get(), now);
                    }
                    c.commit();
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    LOG.warnf("vault epoch key of owner %s not wrapped again (%s)", owner, e.getClass().getSimpleName());
                }
            }
        }
    }

    /** Work on one hour or day in a transaction of its own. */
    @FunctionalInterface
    private interface UnitWork<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * Runs {@code work} in its own transaction and commits. A unit whose sealed rows cannot be opened
     * is rolled back, remembered as unreadable (skipped until restart, so it cannot starve the rest)
     * and answered empty; any other failure rolls back and propagates.
     */
    private <T> Optional<T> inTransaction(HourKey unit, String kind, UnitWork<T> work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return Optional.of(result);
            } catch (SealBrokenException | OwnerKeyring.MissingOwnerKeyException e) {
                c.rollback();
                unreadable.add(unit);
                // Which unit, never what is in it.
                LOG.warnf("%s %s %s of owner %s cannot be opened (%s); left as is", kind, unit.metric(), unit.bucket(),
                        unit.ownerId(), e.getClass().getSimpleName());
                return Optional.empty();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private boolean rewriteDay(Connection c, HourKey day, OwnerKeyring.Session keys, Instant now) throws SQLException {
        // As for an hour: share the owner row so an erasure cannot interleave.
        try (PreparedStatement ps = c.prepareStatement("select 1 from owner where owner_id = ? for share")) {
            ps.setObject(1, day.ownerId());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
            }
        }
        Optional<OwnerKeyring.CurrentKey> current = keyring.currentKey(c, day.ownerId());
        if (current.isEmpty()) {
            return false;
        }
        VaultEpoch epoch = VaultEpoch.current(c, keys, day.ownerId(), current.get(), now);
        DayRollups.rewrite(c, keys, day.ownerId(), day.metric(), day.bucket(), epoch);
        return true;
    }

    private static List<HourKey> daysWithoutRow(Connection c, int max) throws SQLException {
        return dayKeys(c, """
                select distinct s.owner_id, s.metric, date_trunc('day', s.bucket, 'UTC')
                  from reading_segment s
                 where not exists (select 1 from reading_day d where d.owner_id = s.owner_id and d.metric = s.metric
                                      and d.day = date_trunc('day', s.bucket, 'UTC'))
                 limit ?
                """, max);
    }

    private static List<HourKey> daysOnRetiredKeys(Connection c, int max) throws SQLException {
        return dayKeys(c, """
                select d.owner_id, d.metric, d.day
                  from reading_day d
                  join seal_epoch e on e.owner_id = d.owner_id and e.epoch_id = d.epoch_id
                  join owner_key k on k.owner_id = e.owner_id and k.key_version = e.key_version
                 where k.retired_at is not null
                 limit ?
                """, max);
    }

    private static List<HourKey> dayKeys(Connection c, String sql, int max) throws SQLException {
        List<HourKey> days = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, max);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    days.add(new HourKey(rs.getObject(1, UUID.class), rs.getString(2), rs.getTimestamp(3).toInstant()));
                }
            }
        }
        return days;
    }

    private static List<HourKey> concat(List<HourKey> a, List<HourKey> b) {
        Set<HourKey> seen = new HashSet<>(a);
        List<HourKey> all = new ArrayList<>(a);
        for (HourKey k : b) {
            if (seen.add(k)) {
                all.add(k);
            }
        }
        return all;
    }
}
