package org.vitalvault.vault.readings;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.vitalvault.crypto.BatchAad;
import org.vitalvault.crypto.BatchCipher;
import org.vitalvault.metric.Metric;
import org.vitalvault.reading.Reading;
import org.vitalvault.reading.ReadingBatchCodec;
import org.vitalvault.vault.keys.OwnerKeyring;

/**
 * Reads one owner's sealed batches back into readings. Duplicates — the same (device, metric,
 * device time) stored twice after a redelivery or a device retry — are dropped here, so every
 * read counts a reading once whatever the gateway stored; of two copies the first received wins.
 */
@ApplicationScoped
public class OwnerReadings {

    private static final String SELECT_BATCHES = """
            select b.bucket, b.epoch_id, b.sealed, e.key_version, e.enc
              from reading_batch b
              join seal_epoch e on e.owner_id = b.owner_id and e.epoch_id = b.epoch_id
             where b.owner_id = ? and b.metric = ? and b.bucket >= ? and b.bucket < ?
            """;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    OwnerKeyring keyring;

    /** Readings with device time in [from, to), ordered by time then device, each identity once. */
    public List<Reading> read(UUID ownerId, Metric metric, Instant from, Instant to) {
        Map<ReadingIdentity, Reading> unique = new HashMap<>();
        try (OwnerKeyring.Session keys = keyring.open(ownerId);
             Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(SELECT_BATCHES)) {
            ps.setObject(1, ownerId);
            ps.setString(2, metric.code());
            ps.setTimestamp(3, Timestamp.from(from.truncatedTo(ChronoUnit.HOURS)));
            ps.setTimestamp(4, Timestamp.from(to));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Instant bucket = rs.getTimestamp(1).toInstant();
                    UUID epochId = rs.getObject(2, UUID.class);
                    byte[] dataKey = keys.dataKey(epochId, rs.getInt(4), rs.getBytes(5));
                    byte[] plain = BatchCipher.open(dataKey, new BatchAad(ownerId, metric.code(), bucket, epochId),
                            rs.getBytes(3));
                    for (Reading r : ReadingBatchCodec.decode(plain)) {
                        if (r.deviceTimeMillis() >= from.toEpochMilli() && r.deviceTimeMillis() < to.toEpochMilli()) {
                            unique.merge(new ReadingIdentity(r.deviceId(), r.deviceTimeMillis()), r,
                                    (a, b) -> a.receivedTimeMillis() <= b.receivedTimeMillis() ? a : b);
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading sealed batches failed", e);
        }
        List<Reading> readings = new ArrayList<>(unique.values());
        readings.sort(Comparator.comparingLong(Reading::deviceTimeMillis).thenComparing(Reading::deviceId));
        return readings;
    }

    private record ReadingIdentity(UUID deviceId, long deviceTimeMillis) {
    }
}
