package org.vitalvault.vault.consent;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.vitalvault.store.OwnerDataEraser;

/**
 * Deletes the owner's consent trail and grants. consent_event is append-only; its trigger (V5) lets
 * exactly this owner's rows go, and only in this transaction (set_config(…, true) is
 * transaction-local).
 */
@ApplicationScoped
public class ConsentEraser implements OwnerDataEraser {

    public static final String EVENTS = "consent_event";
    public static final String GRANTS = "consent_grant";

    @Override
    public Set<String> tables() {
        return Set.of(EVENTS, GRANTS);
    }

    @Override
    public int order() {
        return 400;
    }

    @Override
    public Map<String, Integer> erase(Connection c, UUID ownerId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select set_config('vitalvault.erasing_owner', ?, true)")) {
            ps.setString(1, ownerId.toString());
            ps.executeQuery().close();
        }
        Map<String, Integer> erased = new LinkedHashMap<>();
        erased.put(EVENTS, OwnerDataEraser.deleteRowsOf(c, "consent_event", ownerId));
        erased.put(GRANTS, OwnerDataEraser.deleteRowsOf(c, "consent_grant", ownerId));
        return erased;
    }
}
