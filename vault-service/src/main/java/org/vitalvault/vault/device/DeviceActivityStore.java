package org.vitalvault.vault.device;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
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

/**
 * The vault's reads of {@code device_activity} (V20), the counts the gateway writes per device and
 * flush window. Every read names the owner, so on Citus each goes to the owner's shard.
 */
@ApplicationScoped
public class DeviceActivityStore {

    /** Rejected records of one reason over a span. */
    public record ReasonCount(String code, long count, Instant lastAt) {
    }

    @Inject
    AgroalDataSource dataSource;

    /**
     * When each of the owner's devices was last heard from (any message, stored or refused), from
     * its newest activity rows: an index scan of a few rows per device, whatever its history. A
     * window is written by each gateway replica that saw the device, so the newest few are compared.
     */
    public Map<UUID, Instant> lastSeen(UUID ownerId) {
        Map<UUID, Instant> seen = new HashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                select d.device_id,
                       (select max(x.last_at) from (select a.last_at from device_activity a
                                                     where a.owner_id = d.owner_id and a.device_id = d.device_id
                                                     order by a.window_start desc limit 8) x)
                  from device d
                 where d.owner_id = ? and d.unpaired_at is null
                """)) {
            ps.setObject(1, ownerId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp t = rs.getTimestamp(2);
                    if (t != null) {
                        seen.put(rs.getObject(1, UUID.class), t.toInstant());
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading device activity failed: SQLState " + e.getSQLState(), e);
        }
        return seen;
    }

    /** The device's rejected records since {@code since}, by reason code, most frequent first. */
    public List<ReasonCount> rejections(UUID ownerId, UUID deviceId, Instant since) {
        List<ReasonCount> counts = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                select r.key, sum(r.value::bigint), max(a.last_at)
                  from device_activity a cross join lateral jsonb_each_text(a.rejected) r
                 where a.owner_id = ? and a.device_id = ? and a.rejected_total > 0 and a.window_start >= ?
                 group by r.key
                 order by 2 desc, 1
                """)) {
            ps.setObject(1, ownerId);
            ps.setObject(2, deviceId);
            ps.setTimestamp(3, Timestamp.from(since));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.add(new ReasonCount(rs.getString(1), rs.getLong(2), rs.getTimestamp(3).toInstant()));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading device activity failed: SQLState " + e.getSQLState(), e);
        }
        return counts;
    }
}
