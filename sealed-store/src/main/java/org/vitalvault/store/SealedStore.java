package org.vitalvault.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.vitalvault.crypto.BatchAad;
import org.vitalvault.crypto.BatchCipher;
import org.vitalvault.crypto.SegmentAad;
import org.vitalvault.metric.Metric;
import org.vitalvault.reading.Reading;
import org.vitalvault.reading.ReadingBatchCodec;
import org.vitalvault.segment.HourRollup;
import org.vitalvault.segment.SegmentCodec;

/**
 * The vault's two shapes of sealed readings, opened with an owner's keys: the gateway's pending
 * batches ({@code reading_batch}, many small rows per hour) and compacted hours
 * ({@code reading_segment}, one row per owner, metric and hour with sealed points and a sealed
 * rollup). All methods work on the caller's connection, so a caller that reads both inside one
 * REPEATABLE READ transaction sees every reading exactly once even while compaction moves rows
 * from one table to the other.
 */
public final class SealedStore {

    private SealedStore() {
    }

    /** One compacted hour; {@code points} is null when only the rollup was asked for. */
    public record Hour(Instant bucket, int count, HourRollup rollup, List<Reading> points) {
    }

    /** The decrypted pending readings per hour bucket (duplicates not yet removed), and their batch ids. */
    public record Pending(Map<Instant, List<Reading>> readings, Map<Instant, List<UUID>> batchIds) {
    }

    /** Pending (not yet compacted) readings of hours in [fromBucket, toBucket). */
    public static Pending pending(Connection c, EpochKeys keys, UUID ownerId, String metric,
                                  Instant fromBucket, Instant toBucket) throws SQLException {
        Map<Instant, List<Reading>> readings = new LinkedHashMap<>();
        Map<Instant, List<UUID>> ids = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select b.bucket, b.batch_id, b.epoch_id, b.sealed, e.key_version, e.enc
                  from reading_batch b
                  join seal_epoch e on e.owner_id = b.owner_id and e.epoch_id = b.epoch_id
                 where b.owner_id = ? and b.metric = ? and b.bucket >= ? and b.bucket < ?
                 order by b.bucket
                """)) {
            ps.setObject(1, ownerId);
            ps.setString(2, metric);
            ps.setTimestamp(3, Timestamp.from(fromBucket));
            ps.setTimestamp(4, Timestamp.from(toBucket));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Instant bucket = rs.getTimestamp(1).toInstant();
                    UUID epochId = rs.getObject(3, UUID.class);
                    byte[] dataKey = keys.dataKey(epochId, rs.getInt(5), rs.getBytes(6));
                    byte[] plain = BatchCipher.open(dataKey, new BatchAad(ownerId, metric, bucket, epochId), rs.getBytes(4));
                    readings.computeIfAbsent(bucket, b -> new ArrayList<>()).addAll(ReadingBatchCodec.decode(plain));
                    ids.computeIfAbsent(bucket, b -> new ArrayList<>()).add(rs.getObject(2, UUID.class));
                }
            }
        }
        return new Pending(readings, ids);
    }

    /** Compacted hours in [fromBucket, toBucket), ordered by hour; points opened only when asked. */
    public static List<Hour> hours(Connection c, EpochKeys keys, UUID ownerId, String metric,
                                   Instant fromBucket, Instant toBucket, boolean withPoints) throws SQLException {
        List<Hour> hours = new ArrayList<>();
        // Selecting the points column only when needed keeps hourly reads off the TOAST table.
        try (PreparedStatement ps = c.prepareStatement("select s.bucket, s.reading_count, s.epoch_id, e.key_version, e.enc, "
                + "v.wrapped_data_key, v.kek_id, s.rollup" + (withPoints ? ", s.points" : "") + """
                  from reading_segment s
                  join seal_epoch e on e.owner_id = s.owner_id and e.epoch_id = s.epoch_id
                  left join vault_epoch v on v.owner_id = s.owner_id and v.epoch_id = s.epoch_id
                 where s.owner_id = ? and s.metric = ? and s.bucket >= ? and s.bucket < ?
                 order by s.bucket
                """)) {
            ps.setObject(1, ownerId);
            ps.setString(2, metric);
            ps.setTimestamp(3, Timestamp.from(fromBucket));
            ps.setTimestamp(4, Timestamp.from(toBucket));
            ps.setFetchSize(256);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Instant bucket = rs.getTimestamp(1).toInstant();
                    UUID epochId = rs.getObject(3, UUID.class);
                    byte[] dataKey = keys.vaultDataKey(epochId, rs.getInt(4), rs.getBytes(5), rs.getBytes(6), rs.getString(7));
                    HourRollup rollup = HourRollup.decode(BatchCipher.open(dataKey,
                            new SegmentAad(SegmentAad.Part.ROLLUP, ownerId, metric, bucket, epochId), rs.getBytes(8)));
                    List<Reading> points = null;
                    if (withPoints) {
                        points = SegmentCodec.decode(BatchCipher.open(dataKey,
                                new SegmentAad(SegmentAad.Part.POINTS, ownerId, metric, bucket, epochId), rs.getBytes(9)));
                    }
                    hours.add(new Hour(bucket, rs.getInt(2), rollup, points));
                }
            }
        }
        return hours;
    }

    /** The latest hour holding data (compacted or pending) per metric code, in metric order. */
    public static Map<String, Instant> latestHourPerMetric(Connection c, UUID ownerId) throws SQLException {
        Map<String, Instant> lastHour = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select metric, max(bucket) from (
                    select metric, bucket from reading_segment where owner_id = ?
                    union all
                    select metric, bucket from reading_batch where owner_id = ?) h
                 group by metric order by metric
                """)) {
            ps.setObject(1, ownerId);
            ps.setObject(2, ownerId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    lastHour.put(rs.getString(1), rs.getTimestamp(2).toInstant());
                }
            }
        }
        return lastHour;
    }

    /** The hours holding data (compacted or pending), per metric code, ascending. */
    public static Map<String, List<Instant>> hoursWithData(Connection c, UUID ownerId) throws SQLException {
        Map<String, List<Instant>> hours = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select metric, bucket from reading_segment where owner_id = ?
                union
                select metric, bucket from reading_batch where owner_id = ?
                order by 1, 2
                """)) {
            ps.setObject(1, ownerId);
            ps.setObject(2, ownerId);
            ps.setFetchSize(4096);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    hours.computeIfAbsent(rs.getString(1), m -> new ArrayList<>()).add(rs.getTimestamp(2).toInstant());
                }
            }
        }
        return hours;
    }

    /** The hours with pending (not yet compacted) batches, per metric code, in no particular order. */
    public static Map<String, List<Instant>> pendingHours(Connection c, UUID ownerId) throws SQLException {
        Map<String, List<Instant>> hours = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "select distinct metric, bucket from reading_batch where owner_id = ?")) {
            ps.setObject(1, ownerId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    hours.computeIfAbsent(rs.getString(1), m -> new ArrayList<>()).add(rs.getTimestamp(2).toInstant());
                }
            }
        }
        return hours;
    }

    /**
     * Writes (or replaces) one compacted hour, sealed under the given epoch, which must already be
     * stored or be written in the same transaction. {@code readings} must be duplicate-free.
     */
    public static void writeHour(Connection c, UUID ownerId, Metric metric, Instant bucket, VaultEpoch epoch,
                                 List<Reading> readings, Instant now) throws SQLException {
        byte[] points = epoch.sealer().seal(new SegmentAad(SegmentAad.Part.POINTS, ownerId, metric.code(), bucket,
                epoch.epochId()), SegmentCodec.encode(readings));
        byte[] rollup = epoch.sealer().seal(new SegmentAad(SegmentAad.Part.ROLLUP, ownerId, metric.code(), bucket,
                epoch.epochId()), HourRollup.of(metric, readings).encode());
        try (PreparedStatement ps = c.prepareStatement("""
                insert into reading_segment (owner_id, metric, bucket, epoch_id, reading_count, rollup, points, compacted_at)
                values (?, ?, ?, ?, ?, ?, ?, ?)
                on conflict (owner_id, metric, bucket) do update
                   set epoch_id = excluded.epoch_id, reading_count = excluded.reading_count, rollup = excluded.rollup,
                       points = excluded.points, compacted_at = excluded.compacted_at
                """)) {
            ps.setObject(1, ownerId);
            ps.setString(2, metric.code());
            ps.setTimestamp(3, Timestamp.from(bucket));
            ps.setObject(4, epoch.epochId());
            ps.setInt(5, readings.size());
            ps.setBytes(6, rollup);
            ps.setBytes(7, points);
            ps.setTimestamp(8, Timestamp.from(now));
            ps.executeUpdate();
        }
    }
}
