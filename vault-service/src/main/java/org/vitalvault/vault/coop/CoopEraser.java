package org.vitalvault.vault.coop;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.vitalvault.store.OwnerDataEraser;

/**
 * Deletes the owner's co-op memberships. A co-op the owner founded stays (its members adopted its
 * terms), without its founder.
 */
@ApplicationScoped
public class CoopEraser implements OwnerDataEraser {

    public static final String MEMBERSHIPS = "coop_membership";
    public static final String COOPS = "coop";

    @Override
    public Set<String> tables() {
        return Set.of(MEMBERSHIPS, COOPS);
    }

    @Override
    public int order() {
        return 500;
    }

    @Override
    public Map<String, Integer> erase(Connection c, UUID ownerId) throws SQLException {
        int memberships;
        try (PreparedStatement ps = c.prepareStatement("delete from coop_membership where owner_id = ?")) {
            ps.setObject(1, ownerId);
            memberships = ps.executeUpdate();
        }
        int founded;
        try (PreparedStatement ps = c.prepareStatement("update coop set founder_owner_id = null where founder_owner_id = ?")) {
            ps.setObject(1, ownerId);
            founded = ps.executeUpdate();
        }
        return Map.of(MEMBERSHIPS, memberships, COOPS, founded);
    }
}
