package org.vitalvault.vault.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.vitalvault.crypto.BatchAad;
import org.vitalvault.crypto.BatchCipher;
import org.vitalvault.crypto.EpochKey;
import org.vitalvault.reading.Reading;
import org.vitalvault.reading.ReadingBatchCodec;
import org.vitalvault.store.NewEpoch;
import org.vitalvault.store.ReadingBatchWriter;
import org.vitalvault.store.SealedBatch;

/**
 * Writes sealed batches exactly as the sensor gateway does: an HPKE epoch to the owner's current
 * public key (seal_epoch) and one sealed reading_batch row, through the sealed store's writer, so vault tests need no broker.
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
            SealedBatch batch = new SealedBatch(owner, metric, bucket, UUID.randomUUID(), epochId, readings.size(),
                    BatchCipher.seal(key.dataKey(), new BatchAad(owner, metric, bucket, epochId),
                            ReadingBatchCodec.encode(readings)));
            ReadingBatchWriter.write(c, List.of(new NewEpoch(owner, epochId, version, key.enc())), List.of(batch),
                    Instant.now());
        }
    }
}
