package org.vitalvault.vault.export;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.vitalvault.crypto.BatchAad;
import org.vitalvault.crypto.BatchCipher;
import org.vitalvault.crypto.EpochKey;
import org.vitalvault.reading.Reading;
import org.vitalvault.reading.ReadingBatchCodec;

/** Sealed test data, written the way the gateway writes it. */
final class ExportData {

    private ExportData() {
    }

    /**
     * What the gateway does: one HPKE epoch to the owner's newest public key (a seal_epoch row) and
     * the readings as one sealed batch (a reading_batch row) of the hour {@code bucket}.
     */
    static void seal(DataSource dataSource, UUID owner, String metric, Instant bucket, List<Reading> readings)
            throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            byte[] publicKey;
            int version;
            try (PreparedStatement ps = c.prepareStatement(
                    "select public_key, key_version from owner_key where owner_id = ? order by key_version desc limit 1")) {
                ps.setObject(1, owner);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    publicKey = rs.getBytes(1);
                    version = rs.getInt(2);
                }
            }
            UUID epochId = UUID.randomUUID();
            EpochKey key = EpochKey.create(publicKey, owner, epochId);
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into seal_epoch (owner_id, epoch_id, key_version, enc, created_at) values (?, ?, ?, ?, now())")) {
                ps.setObject(1, owner);
                ps.setObject(2, epochId);
                ps.setInt(3, version);
                ps.setBytes(4, key.enc());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("insert into reading_batch (owner_id, metric, bucket, batch_id,"
                    + " epoch_id, reading_count, sealed, stored_at) values (?, ?, ?, ?, ?, ?, ?, now())")) {
                ps.setObject(1, owner);
                ps.setString(2, metric);
                ps.setTimestamp(3, Timestamp.from(bucket));
                ps.setObject(4, UUID.randomUUID());
                ps.setObject(5, epochId);
                ps.setInt(6, readings.size());
                ps.setBytes(7, BatchCipher.seal(key.dataKey(), new BatchAad(owner, metric, bucket, epochId),
                        ReadingBatchCodec.encode(readings)));
                ps.executeUpdate();
            }
        }
    }

    /**
     * {@code seconds} of 1 Hz heart rate from {@code start}, without the seconds in {@code gaps};
     * whole beats per minute, and every seventh a half.
     */
    static List<Reading> oneHz(UUID device, Instant start, int seconds, Set<Integer> gaps) {
        List<Reading> readings = new ArrayList<>(seconds);
        long t0 = start.toEpochMilli();
        for (int s = 0; s < seconds; s++) {
            if (!gaps.contains(s)) {
                long t = t0 + s * 1000L;
                readings.add(new Reading(device, t, t + 30 + s % 50, 60 + (s * 7 % 41) + (s % 7 == 0 ? 0.5 : 0)));
            }
        }
        return readings;
    }
}
