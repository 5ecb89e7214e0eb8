package org.vitalvault.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The reads and writes of the vault's compaction passes that are not opening or sealing rows
 * ({@link SealedStore}, {@link DayRollups}, {@link VaultEpoch} do that): which units need work,
 * the hour lock, deleting consumed batches, and collecting epochs and key pairs nothing refers to.
 * Every method works on the caller's connection and transaction.
 */
public final class CompactionRows {

    private CompactionRows() {
    }

    /** One owner's metric over one hour, or over one UTC day (then {@code start} is midnight UTC). */
    public record Unit(UUID ownerId, String metric, Instant start) {

        /** The transaction-scoped advisory lock key of this hour (bigint space; days use the two-int space). */
        long hourLockKey() {
            return ownerId.getMostSignificantBits() ^ ownerId.getLeastSignificantBits() * 31
                    ^ metric.hashCode() * 1_000_003L ^ start.getEpochSecond();
        }
    }

    /**
     * Hours with pending batches that have settled: the oldest batch was stored at or before
     * {@code storedBy}, or the hour has {@code minBatches} pending batches; oldest first, at most
     * {@code limit}.
     */
    public static List<Unit> settledPendingHours(Connection c, Instant storedBy, int minBatches, int limit)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                select owner_id, metric, bucket from reading_batch
                 group by owner_id, metric, bucket
                having min(stored_at) <= ? or count(*) >= ?
                 order by min(stored_at)
                 limit ?
                """)) {
            ps.setTimestamp(1, Timestamp.from(storedBy));
            ps.setInt(2, Math.max(1, minBatches));
            ps.setInt(3, limit);
            return units(ps);
        }
    }

    /** Every hour of one owner with pending batches, oldest first, at most {@code limit}. */
    public static List<Unit> pendingHoursOf(Connection c, UUID ownerId, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                select owner_id, metric, bucket from reading_batch
                 where owner_id = ?
                 group by owner_id, metric, bucket
                 order by min(stored_at)
                 limit ?
                """)) {
            ps.setObject(1, ownerId);
            ps.setInt(2, limit);
            return units(ps);
        }
    }

    /** Compacted hours sealed under an epoch of a retired owner key version, at most {@code limit}. */
    public static List<Unit> hoursOnRetiredKeys(Connection c, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                select s.owner_id, s.metric, s.bucket
                  from reading_segment s
                  join seal_epoch e on e.owner_id = s.owner_id and e.epoch_id = s.epoch_id
                  join owner_key k on k.owner_id = e.owner_id and k.key_version = e.key_version
                 where k.retired_at is not null
                 limit ?
                """)) {
            ps.setInt(1, limit);
            return units(ps);
        }
    }

    /** Days with compacted hours but no daily rollup (compacted before V9), at most {@code limit}. */
    public static List<Unit> daysWithoutRollup(Connection c, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                select distinct s.owner_id, s.metric, date_trunc('day', s.bucket, 'UTC')
                  from reading_segment s
                 where not exists (select 1 from reading_day d where d.owner_id = s.owner_id and d.metric = s.metric
                                      and d.day = date_trunc('day', s.bucket, 'UTC'))
                 limit ?
                """)) {
            ps.setInt(1, limit);
            return units(ps);
        }
    }

    /** Daily rollups sealed under an epoch of a retired owner key version, at most {@code limit}. */
    public static List<Unit> daysOnRetiredKeys(Connection c, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                select d.owner_id, d.metric, d.day
                  from reading_day d
                  join seal_epoch e on e.owner_id = d.owner_id and e.epoch_id = d.epoch_id
                  join owner_key k on k.owner_id = e.owner_id and k.key_version = e.key_version
                 where k.retired_at is not null
                 limit ?
                """)) {
            ps.setInt(1, limit);
            return units(ps);
        }
    }

    /** Records that every compacted day has its daily rollup (see {@link DayRollups#complete}). */
    public static void markDayBackfillComplete(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "update rollup_backfill set complete = true where name = 'reading_day'")) {
            ps.executeUpdate();
        }
    }

    /**
     * Takes the hour's transaction-scoped advisory lock if free: false when another transaction (a
     * replica's compaction) holds it. Every transaction that writes an hour takes it first.
     */
    public static boolean tryLockHour(Connection c, Unit hour) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select pg_try_advisory_xact_lock(?)")) {
            ps.setLong(1, hour.hourLockKey());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** Deletes exactly the pending batches {@code batchIds} of one hour (ones stored since stay). */
    public static void deleteBatches(Connection c, Unit hour, List<UUID> batchIds) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                delete from reading_batch
                 where owner_id = ? and metric = ? and bucket = ? and batch_id = any(?)
                """)) {
            ps.setObject(1, hour.ownerId());
            ps.setString(2, hour.metric());
            ps.setTimestamp(3, Timestamp.from(hour.start()));
            ps.setArray(4, c.createArrayOf("uuid", batchIds.toArray()));
            ps.executeUpdate();
        }
    }

    /**
     * Deletes every sealed row of an owner who no longer exists (a gateway wrote after the erasure,
     * sealed to a destroyed key): batches, hours, days and epochs (their vault epochs cascade).
     * Returns the rows deleted.
     */
    public static int deleteRowsOfErasedOwner(Connection c, UUID ownerId) throws SQLException {
        int rows = 0;
        for (String table : List.of(SealedTables.READING_BATCH, SealedTables.READING_SEGMENT, SealedTables.READING_DAY,
                SealedTables.SEAL_EPOCH)) {
            try (PreparedStatement ps = c.prepareStatement("delete from " + table + " where owner_id = ?")) {
                ps.setObject(1, ownerId);
                rows += ps.executeUpdate();
            }
        }
        return rows;
    }

    /**
     * Deletes epochs no batch, hour or day refers to any more and that are either created before
     * {@code createdBefore} or of a key version retired before {@code retiredBefore}, except the vault
     * epoch of an owner's current key (it is reused by the next pass; deleting an epoch cascades to
     * its vault_epoch row). Returns how many were deleted.
     */
    public static int deleteUnreferencedEpochs(Connection c, Instant createdBefore, Instant retiredBefore)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
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
            ps.setTimestamp(1, Timestamp.from(createdBefore));
            ps.setTimestamp(2, Timestamp.from(retiredBefore));
            return ps.executeUpdate();
        }
    }

    /**
     * Destroys owner key pairs retired before {@code retiredBefore} that no epoch (nor sealed device
     * name, V14) refers to any more:
     * the wrapped private key is overwritten, then the row deleted. Returns how many. Call with
     * autocommit off, so the overwrite and the delete commit together.
     */
    public static int destroyRetiredKeysWithoutEpochs(Connection c, Instant retiredBefore) throws SQLException {
        String unneeded = """
                 where k.retired_at is not null and k.retired_at < ?
                   and not exists (select 1 from seal_epoch e where e.owner_id = k.owner_id and e.key_version = k.key_version)
                   and not exists (select 1 from device d where d.owner_id = k.owner_id and d.name_key_version = k.key_version)
                """;
        try (PreparedStatement wipe = c.prepareStatement(
                "update owner_key k set wrapped_private_key = '\\x00'::bytea " + unneeded);
             PreparedStatement delete = c.prepareStatement("delete from owner_key k " + unneeded)) {
            Timestamp cutoff = Timestamp.from(retiredBefore);
            wipe.setTimestamp(1, cutoff);
            wipe.executeUpdate();
            delete.setTimestamp(1, cutoff);
            return delete.executeUpdate();
        }
    }

    /** Owners whose current key's vault epoch has no data key wrapped by KEK {@code kekId}, at most {@code limit}. */
    public static List<UUID> ownersWithEpochKeyNotUnder(Connection c, String kekId, int limit) throws SQLException {
        List<UUID> owners = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select v.owner_id from vault_epoch v
                  join owner_key k on k.owner_id = v.owner_id and k.key_version = v.key_version and k.retired_at is null
                 where v.kek_id is distinct from ?
                 limit ?
                """)) {
            ps.setString(1, kekId);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    owners.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return owners;
    }

    private static List<Unit> units(PreparedStatement ps) throws SQLException {
        List<Unit> units = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                units.add(new Unit(rs.getObject(1, UUID.class), rs.getString(2), rs.getTimestamp(3).toInstant()));
            }
        }
        return units;
    }
}
