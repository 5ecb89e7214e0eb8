package org.vitalvault.vault.owner;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.vitalvault.store.OwnerDataEraser;

/** Deletes the owner row itself: last, after every row that refers to it. */
@ApplicationScoped
public class OwnerRowEraser implements OwnerDataEraser {

    public static final String OWNER = "owner";

    @Override
    public Set<String> tables() {
        return Set.of(OWNER);
    }

    @Override
    public int order() {
        return 1000;
    }

    @Override
    public Map<String, Integer> erase(Connection c, UUID ownerId) throws SQLException {
        Map<String, Integer> erased = new LinkedHashMap<>();
        erased.put(OWNER, OwnerDataEraser.deleteRowsOf(c, "owner", ownerId));
        return erased;
    }
}
