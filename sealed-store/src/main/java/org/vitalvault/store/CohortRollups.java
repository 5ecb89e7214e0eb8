package org.vitalvault.store;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.vitalvault.crypto.BatchCipher;
import org.vitalvault.crypto.SegmentAad;
import org.vitalvault.segment.HourRollup;

/**
 * A cohort's sealed rollups for one metric over a time range, read with one query per table on
 * the caller's connection (run it in one REPEATABLE READ transaction for a consistent view): daily
 * rollups for the whole UTC days in [firstDay, endDay), hourly rollups for the hours of
 * [from, until) outside them, and which hours of [from, until) still have pending batches (whose
 * readings neither rollup holds yet). Data keys come wrapped by the KEK where the vault sealed
 * under its own epoch (no X25519 per owner; docs/decisions/016). Nothing is opened here; {@link Row#open} does that with the
 * owner's keys, so decryption can run on several threads.
 */
public final class CohortRollups {

    private CohortRollups() {
    }

    /** A sealing epoch as rows refer to it: what derives (or, for the vault's own, unwraps) its data key. */
    public record Epoch(UUID epochId, int keyVersion, byte[] enc, byte[] wrappedKey, String kekId) {
    }

    /** One sealed rollup: of the UTC day starting at {@code unit}, or of the hour starting there. */
    public record Row(Instant unit, SegmentAad.Part part, Epoch epoch, byte[] sealed) {

        public HourRollup open(UUID ownerId, String metric, EpochKeys keys) {
            byte[] dataKey = keys.vaultDataKey(epoch.epochId(), epoch.keyVersion(), epoch.enc(), epoch.wrappedKey(),
                    epoch.kekId());
            return HourRollup.decode(BatchCipher.open(dataKey,
                    new SegmentAad(part, ownerId, metric, unit, epoch.epochId()), sealed));
        }
    }

    /** Sealed rows by owner, and the pending hours by owner. */
    public record Snapshot(Map<UUID, List<Row>> rows, Map<UUID, List<Instant>> pendingHours) {
    }

    /** A row as read, before its epoch is attached. */
    private record Sealed(UUID owner, Instant unit, SegmentAad.Part part, UUID epochId, byte[] sealed) {
    }

    public static Snapshot read(Connection c, List<UUID> owners, String metric, Instant from, Instant until,
                                Instant firstDay, Instant endDay) throws SQLException {
        Array ownerArray = c.createArrayOf("uuid", owners.toArray());
        List<Sealed> sealed = new ArrayList<>();
        // No join with the epochs here: nearly every row of an owner names the same vault epoch,
        // and joining per row cost the database several times the scan itself.
        try (PreparedStatement ps = c.prepareStatement("""
                select owner_id, day, epoch_id, rollup from reading_day
                 where owner_id = any(?) and metric = ? and day >= ? and day < ?
                """)) {
            ps.setArray(1, ownerArray);
            ps.setString(2, metric);
            ps.setTimestamp(3, Timestamp.from(firstDay));
            ps.setTimestamp(4, Timestamp.from(endDay));
            collect(ps, SegmentAad.Part.DAY, sealed);
        }
        if (from.isBefore(firstDay) || until.isAfter(endDay)) {
            try (PreparedStatement ps = c.prepareStatement("""
                    select owner_id, bucket, epoch_id, rollup from reading_segment
                     where owner_id = any(?) and metric = ?
                       and ((bucket >= ? and bucket < ?) or (bucket >= ? and bucket < ?))
                    """)) {
                ps.setArray(1, ownerArray);
                ps.setString(2, metric);
                ps.setTimestamp(3, Timestamp.from(from));
                ps.setTimestamp(4, Timestamp.from(firstDay));
                ps.setTimestamp(5, Timestamp.from(endDay));
                ps.setTimestamp(6, Timestamp.from(until));
                collect(ps, SegmentAad.Part.ROLLUP, sealed);
            }
        }
        Map<UUID, Map<UUID, Epoch>> epochs = epochs(c, ownerArray,
                sealed.stream().map(Sealed::epochId).distinct().toArray());
        Map<UUID, List<Row>> rows = new HashMap<>();
        for (Sealed r : sealed) {
            Epoch epoch = epochs.getOrDefault(r.owner(), Map.of()).get(r.epochId());
            // A row whose epoch is gone can never be opened; the per-owner reads skip it the same way.
            if (epoch != null) {
                rows.computeIfAbsent(r.owner(), o -> new ArrayList<>()).add(new Row(r.unit(), r.part(), epoch, r.sealed()));
            }
        }
        Map<UUID, List<Instant>> pending = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select distinct owner_id, bucket from reading_batch
                 where owner_id = any(?) and metric = ? and bucket >= ? and bucket < ?
                """)) {
            ps.setArray(1, ownerArray);
            ps.setString(2, metric);
            ps.setTimestamp(3, Timestamp.from(from));
            ps.setTimestamp(4, Timestamp.from(until));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    pending.computeIfAbsent(rs.getObject(1, UUID.class), o -> new ArrayList<>())
                            .add(rs.getTimestamp(2).toInstant());
                }
            }
        }
        return new Snapshot(rows, pending);
    }

    private static Map<UUID, Map<UUID, Epoch>> epochs(Connection c, Array owners, Object[] epochIds) throws SQLException {
        Map<UUID, Map<UUID, Epoch>> epochs = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select e.owner_id, e.epoch_id, e.key_version, e.enc, v.wrapped_data_key, v.kek_id
                  from seal_epoch e
                  left join vault_epoch v on v.owner_id = e.owner_id and v.epoch_id = e.epoch_id
                 where e.owner_id = any(?) and e.epoch_id = any(?)
                """)) {
            ps.setArray(1, owners);
            ps.setArray(2, c.createArrayOf("uuid", epochIds));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    UUID epochId = rs.getObject(2, UUID.class);
                    epochs.computeIfAbsent(rs.getObject(1, UUID.class), o -> new HashMap<>()).put(epochId,
                            new Epoch(epochId, rs.getInt(3), rs.getBytes(4), rs.getBytes(5), rs.getString(6)));
                }
            }
        }
        return epochs;
    }

    private static void collect(PreparedStatement ps, SegmentAad.Part part, List<Sealed> into) throws SQLException {
        ps.setFetchSize(4096);
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                into.add(new Sealed(rs.getObject(1, UUID.class), rs.getTimestamp(2).toInstant(), part,
                        rs.getObject(3, UUID.class), rs.getBytes(4)));
            }
        }
    }
}
