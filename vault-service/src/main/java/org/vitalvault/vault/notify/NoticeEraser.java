package org.vitalvault.vault.notify;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.vitalvault.store.OwnerDataEraser;

/** Deletes the owner's notification feed and anything of it not yet sent to the webhook. */
@ApplicationScoped
public class NoticeEraser implements OwnerDataEraser {

    @Override
    public Set<String> tables() {
        return Set.of("notification_outbox", "owner_notification");
    }

    @Override
    public int order() {
        return 790;
    }

    @Override
    public Map<String, Integer> erase(Connection c, UUID ownerId) throws SQLException {
        Map<String, Integer> erased = new LinkedHashMap<>();
        erased.put("notification_outbox", OwnerDataEraser.deleteRowsOf(c, "notification_outbox", ownerId));
        erased.put("owner_notification", OwnerDataEraser.deleteRowsOf(c, "owner_notification", ownerId));
        return erased;
    }
}
