package org.vitalvault.vault.notify;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.vitalvault.vault.config.VaultConfig;
import org.vitalvault.vault.sealing.OwnerTextSeal;

/**
 * Posts notifications to owners' feeds, in the caller's transaction: a notice exists exactly when
 * the event it tells of committed. When the operator configured a webhook
 * ({@code vitalvault.notifications.webhook-url}) every notice is also queued for it
 * ({@code notification_outbox}, same statement), and {@link WebhookOutbox} delivers it after the
 * commit; without one nothing is queued (docs/decisions/045).
 *
 * <p>JDBC, one statement whatever the number of owners: a research query posts one notice to each of
 * up to thousands of included owners inside its release transaction, so the rows go in as two arrays
 * ({@code unnest}) rather than one execution per owner.
 */
@ApplicationScoped
public class OwnerNotices {

    private static final String FEED = "insert into owner_notification (owner_id, kind, created_at, sealed_text)"
            + " select o, ?, ?, t from unnest(?::uuid[], ?::bytea[]) as n(o, t)";
    private static final String FEED_AND_OUTBOX = "with n as (" + FEED + " returning owner_id, notice_id)"
            + " insert into notification_outbox (owner_id, notice_id, next_attempt_at) select owner_id, notice_id, ? from n";

    @Inject
    AgroalDataSource dataSource;

    @Inject
    OwnerTextSeal seal;

    @Inject
    Clock clock;

    @Inject
    VaultConfig config;

    /** Posts {@code notice} to one owner. */
    public void post(UUID owner, Notice notice) {
        postAll(List.of(owner), notice);
    }

    /** Posts {@code notice} to each owner (one statement; a query may include thousands). */
    public void postAll(Collection<UUID> owners, Notice notice) {
        if (owners.isEmpty()) {
            return;
        }
        Timestamp now = Timestamp.from(clock.instant());
        UUID[] ids = owners.toArray(UUID[]::new);
        // Sealed per owner: the associated data binds each copy to its owner.
        byte[][] texts = seal.sealEach(List.of(ids), OwnerTextSeal.Purpose.NOTICE, notice.text());
        boolean queue = config.notifications().webhookUrl().isPresent();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(queue ? FEED_AND_OUTBOX : FEED)) {
            Array idArray = c.createArrayOf("uuid", ids);
            Array textArray = c.createArrayOf("bytea", texts);
            ps.setString(1, notice.kind().name());
            ps.setTimestamp(2, now);
            ps.setArray(3, idArray);
            ps.setArray(4, textArray);
            if (queue) {
                ps.setTimestamp(5, now);
            }
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("posting notifications failed", e);
        }
    }
}
