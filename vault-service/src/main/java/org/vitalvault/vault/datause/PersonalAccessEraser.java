package org.vitalvault.vault.datause;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.vitalvault.store.OwnerDataEraser;

/** Deletes the owner's caregiver-read and emergency-access trail. */
@ApplicationScoped
public class PersonalAccessEraser implements OwnerDataEraser {

    @Override
    public Set<String> tables() {
        return Set.of("personal_access");
    }

    @Override
    public int order() {
        return 801;
    }

    @Override
    public Map<String, Integer> erase(Connection c, UUID ownerId) throws SQLException {
        Map<String, Integer> erased = new LinkedHashMap<>();
        erased.put("personal_access", OwnerDataEraser.deleteRowsOf(c, "personal_access", ownerId));
        return erased;
    }
}
