package org.vitalvault.vault.owner;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
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
        erased.put(OWNER, delete(c, "delete from owner where owner_id = ?", ownerId));
        return erased;
    }

    private static int delete(Connection c, String sql, UUID ownerId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, ownerId);
            return ps.executeUpdate();
        }
    }
}
