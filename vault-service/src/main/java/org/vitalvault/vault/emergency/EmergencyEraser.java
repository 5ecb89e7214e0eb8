package org.vitalvault.vault.emergency;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.vitalvault.store.OwnerDataEraser;

/** Deletes the owner's break-glass opt-in (its code hash) and episodes (clinicians and reasons, sealed). */
@ApplicationScoped
public class EmergencyEraser implements OwnerDataEraser {

    @Override
    public Set<String> tables() {
        return Set.of("emergency_access", "emergency_episode");
    }

    @Override
    public int order() {
        return 810;
    }

    @Override
    public Map<String, Integer> erase(Connection c, UUID ownerId) throws SQLException {
        Map<String, Integer> erased = new LinkedHashMap<>();
        erased.put("emergency_episode", OwnerDataEraser.deleteRowsOf(c, "emergency_episode", ownerId));
        erased.put("emergency_access", OwnerDataEraser.deleteRowsOf(c, "emergency_access", ownerId));
        return erased;
    }
}
