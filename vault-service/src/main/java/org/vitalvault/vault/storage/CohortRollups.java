package org.vitalvault.vault.storage;

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
import org.vitalvault.vault.keys.OwnerKeyring;

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

    /** One sealed rollup: of the UTC day starting at {@code unit}, or of the hour starting there. */
    public record Row(Instant unit, SegmentAad.Part part, UUID epochId, int keyVersion, byte[] enc, byte[] wrappedKey,
                      String kekId, byte[] sealed) {

        public HourRollup open(UUID ownerId, String metric, OwnerKeyring.Session keys) {
            byte[] dataKey = keys.vaultDataKey(epochId, keyVersion, enc, wrappedKey, kekId);
            return HourRollup.decode(BatchCipher.open(dataKey, new SegmentAad(part, ownerId, metric, unit, epochId), sealed));
        }
    }

    /** Sealed rows by owner, and the pending hours by owner. */
    public record Snapshot(Map<UUID, List<Row>> rows, Map<UUID, List<Instant>> pendingHours) {
    }

    public static Snapshot read(Connection c, List<UUID> owners, String metric, Instant from, Instant until,
                                Instant firstDay, Instant endDay) throws SQLException {
        Array ownerArray = c.createArrayOf("uuid", owners.toArray());
        Map<UUID, List<Row>> rows = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select d.owner_id, d.day, d.epoch_id, e.key_version, e.enc, v.wrapped_data_key, v.kek_id, d.rollup
                  from reading_day d
                  join seal_epoch e on e.owner_id = d.owner_id and e.epoch_id = d.epoch_id
                  left join vault_epoch v on v.owner_id = d.owner_id and v.epoch_id = d.epoch_id
                 where d.owner_id = any(?) and d.metric = ? and d.day >= ? and d.day < ?
                """)) {
            ps.setArray(1, ownerArray);
            ps.setString(2, metric);
            ps.setTimestamp(3, Timestamp.from(firstDay));
            ps.setTimestamp(4, Timestamp.from(endDay));
            collect(ps, SegmentAad.Part.DAY, rows);
        }
        if (from.isBefore(firstDay) || until.isAfter(endDay)) {
            try (PreparedStatement ps = c.prepareStatement("""
                    select s.owner_id, s.bucket, s.epoch_id, e.key_version, e.enc, v.wrapped_data_key, v.kek_id, s.rollup
                      from reading_segment s
                      join seal_epoch e on e.owner_id = s.owner_id and e.epoch_id = s.epoch_id
                      left join vault_epoch v on v.owner_id = s.owner_id and v.epoch_id = s.epoch_id
                     where s.owner_id = any(?) and s.metric = ?
                       and ((s.bucket >= ? and s.bucket < ?) or (s.bucket >= ? and s.bucket < ?))
                    """)) {
                ps.setArray(1, ownerArray);
                ps.setString(2, metric);
                ps.setTimestamp(3, Timestamp.from(from));
                ps.setTimestamp(4, Timestamp.from(firstDay));
                ps.setTimestamp(5, Timestamp.from(endDay));
                ps.setTimestamp(6, Timestamp.from(until));
                collect(ps, SegmentAad.Part.ROLLUP, rows);
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

    private static void collect(PreparedStatement ps, SegmentAad.Part part, Map<UUID, List<Row>> rows) throws SQLException {
        ps.setFetchSize(4096);
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.computeIfAbsent(rs.getObject(1, UUID.class), o -> new ArrayList<>()).add(new Row(
                        rs.getTimestamp(2).toInstant(), part, rs.getObject(3, UUID.class), rs.getInt(4), rs.getBytes(5),
                        rs.getBytes(6), rs.getString(7), rs.getBytes(8)));
            }
        }
    }
}
