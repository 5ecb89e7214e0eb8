package org.vitalvault.vault.device;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.vitalvault.store.OwnerDataEraser;

/**
 * Deletes the owner's device activity (counts per device and window). Before the devices go, though
 * nothing depends on the order; a gateway row for the owner arriving after the erasure is refused
 * by the foreign key to the owner (the gateway counts it lost).
 */
@ApplicationScoped
public class DeviceActivityEraser implements OwnerDataEraser {

    public static final String TABLE = "device_activity";

    @Override
    public Set<String> tables() {
        return Set.of(TABLE);
    }

    @Override
    public int order() {
        return 290;
    }

    @Override
    public Map<String, Integer> erase(Connection c, UUID ownerId) throws SQLException {
        return Map.of(TABLE, OwnerDataEraser.deleteRowsOf(c, TABLE, ownerId));
    }
}
