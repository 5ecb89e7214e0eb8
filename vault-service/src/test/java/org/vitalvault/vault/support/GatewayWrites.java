package org.vitalvault.vault.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.vitalvault.crypto.BatchAad;
import org.vitalvault.crypto.BatchCipher;
import org.vitalvault.crypto.EpochKey;
import org.vitalvault.reading.Reading;
import org.vitalvault.reading.ReadingBatchCodec;

/**
 * Writes sealed batches exactly as the sensor gateway does: an HPKE epoch to the owner's current
 * public key (seal_epoch) and one sealed reading_batch row, so vault tests need no broker.
 */
public final class GatewayWrites {

    private GatewayWrites() {
    }

    /** Seals the readings of one (owner, metric, hour) as one batch under a fresh epoch. */
    public static void writeSealed(DataSource dataSource, UUID owner, String metric, Instant bucket,
                                   List<Reading> readings) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            byte[] publicKey;
            int version;
            try (PreparedStatement ps = c.prepareStatement("select public_key, key_version from owner_key"
                    + " where owner_id = ? and retired_at is null order by key_version desc limit 1")) {
                ps.setObject(1, owner);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    publicKey = rs.getBytes(1);
                    version = rs.getInt(2);
                }
            }
            UUID epochId = UUID.randomUUID();
            EpochKey key = EpochKey.create(publicKey, owner, epochId);
            try (PreparedStatement ps = c.prepareStatement("insert into seal_epoch (owner_id, epoch_id, key_version, enc,"
                    + " created_at) values (?, ?, ?, ?, now())")) {
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
}
