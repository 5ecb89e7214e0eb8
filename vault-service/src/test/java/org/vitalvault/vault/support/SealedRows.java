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
 * Seals readings to an owner's public key the way the gateway does (an HPKE epoch in seal_epoch,
 * one AES-GCM batch in reading_batch) and hands back what was stored, so a test can later try to
 * open it with whatever key material is left.
 */
public final class SealedRows {

    private SealedRows() {
    }

    /** One stored batch: everything needed to open it except the owner's private key. */
    public record Stored(UUID ownerId, UUID epochId, int keyVersion, byte[] enc, String metric, Instant bucket,
                         byte[] sealed) {
        public BatchAad aad() {
            return new BatchAad(ownerId, metric, bucket, epochId);
        }
    }

    /** Seals {@code readings} as one batch under a fresh epoch to the owner's newest key version. */
    public static Stored write(DataSource dataSource, UUID owner, String metric, Instant bucket, List<Reading> readings)
            throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            byte[] publicKey;
            int version;
            try (PreparedStatement ps = c.prepareStatement(
                    "select public_key, key_version from owner_key where owner_id = ? order by key_version desc limit 1")) {
                ps.setObject(1, owner);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalStateException("owner " + owner + " has no key");
                    }
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
            Stored stored = new Stored(owner, epochId, version, key.enc(), metric, bucket,
                    BatchCipher.seal(key.dataKey(), new BatchAad(owner, metric, bucket, epochId),
                            ReadingBatchCodec.encode(readings)));
            try (PreparedStatement ps = c.prepareStatement("insert into reading_batch (owner_id, metric, bucket, batch_id,"
                    + " epoch_id, reading_count, sealed, stored_at) values (?, ?, ?, ?, ?, ?, ?, now())")) {
                ps.setObject(1, owner);
                ps.setString(2, metric);
                ps.setTimestamp(3, Timestamp.from(bucket));
                ps.setObject(4, UUID.randomUUID());
                ps.setObject(5, epochId);
                ps.setInt(6, readings.size());
                ps.setBytes(7, stored.sealed());
                ps.executeUpdate();
            }
            return stored;
        }
    }
}
