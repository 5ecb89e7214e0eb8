package org.vitalvault.vault.attributes;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.vitalvault.store.OwnerDataEraser;

/** Deletes the coarse attributes the owner chose to share. */
@ApplicationScoped
public class SharedAttributesEraser implements OwnerDataEraser {

    public static final String OWNER_SHARED_ATTRIBUTES = "owner_shared_attributes";

    @Override
    public Set<String> tables() {
        return Set.of(OWNER_SHARED_ATTRIBUTES);
    }

    @Override
    public int order() {
        return 900;
    }

    @Override
    public Map<String, Integer> erase(Connection c, UUID ownerId) throws SQLException {
        Map<String, Integer> erased = new LinkedHashMap<>();
        erased.put(OWNER_SHARED_ATTRIBUTES, OwnerDataEraser.deleteRowsOf(c, "owner_shared_attributes", ownerId));
        return erased;
    }
}
