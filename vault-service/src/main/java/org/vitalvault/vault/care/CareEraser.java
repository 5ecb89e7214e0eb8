package org.vitalvault.vault.care;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.vitalvault.store.OwnerDataEraser;

/**
 * Deletes the owner's delegations: an erased owner's caregivers find nothing from their next
 * request on. (Failed invite redemptions are the caregivers', keyed by no owner, and age out.)
 */
@ApplicationScoped
public class CareEraser implements OwnerDataEraser {

    @Override
    public Set<String> tables() {
        return Set.of("care_delegation");
    }

    @Override
    public int order() {
        return 823;
    }

    @Override
    public Map<String, Integer> erase(Connection c, UUID ownerId) throws SQLException {
        Map<String, Integer> erased = new LinkedHashMap<>();
        erased.put("care_delegation", OwnerDataEraser.deleteRowsOf(c, "care_delegation", ownerId));
        return erased;
    }
}
