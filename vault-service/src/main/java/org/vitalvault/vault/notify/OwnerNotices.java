package org.vitalvault.vault.notify;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.vitalvault.vault.sealing.OwnerTextSeal;

/**
 * Posts notifications to owners' feeds, in the caller's transaction: a notice exists exactly when
 * the event it tells of committed. Every notice is also queued for the operator's webhook
 * ({@code notification_outbox}), drained after commit (docs/decisions/045).
 */
@ApplicationScoped
public class OwnerNotices {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    OwnerTextSeal seal;

    @Inject
    Clock clock;

    /** Posts {@code notice} to one owner. */
    public void post(UUID owner, Notice notice) {
        postAll(List.of(owner), notice);
    }

    /** Posts {@code notice} to each owner (one batched statement; a query may include thousands). */
    public void postAll(Collection<UUID> owners, Notice notice) {
        if (owners.isEmpty()) {
            return;
        }
        Timestamp now = Timestamp.from(clock.instant());
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("with n as (insert into owner_notification"
                     + " (owner_id, kind, created_at, sealed_text) values (?, ?, ?, ?) returning owner_id, notice_id)"
                     + " insert into notification_outbox (owner_id, notice_id, next_attempt_at) select owner_id, notice_id, ? from n")) {
            for (UUID owner : owners) {
                ps.setObject(1, owner);
                ps.setString(2, notice.kind().name());
                ps.setTimestamp(3, now);
                ps.setBytes(4, seal.seal(owner, OwnerTextSeal.Purpose.NOTICE, notice.text()));
                ps.setTimestamp(5, now);
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException("posting notifications failed", e);
        }
    }
}
