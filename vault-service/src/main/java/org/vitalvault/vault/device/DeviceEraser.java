package org.vitalvault.vault.device;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.vitalvault.notify.NotifyChannels;
import org.vitalvault.store.OwnerDataEraser;

/**
 * Deletes the owner's devices and sends the same notification as unpairing (DeviceResource.unpair):
 * gateways and the broker that listen forget each device when the erasure commits, instead of after
 * their cache lifetime.
 */
@ApplicationScoped
public class DeviceEraser implements OwnerDataEraser {

    public static final String TABLE = "device";

    @Override
    public Set<String> tables() {
        return Set.of(TABLE);
    }

    @Override
    public int order() {
        return 300;
    }

    @Override
    public Map<String, Integer> erase(Connection c, UUID ownerId) throws SQLException {
        List<String> deviceIds = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("delete from device where owner_id = ? returning device_id")) {
            ps.setObject(1, ownerId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    deviceIds.add(rs.getString(1));
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("select pg_notify(?, ?)")) {
            for (String deviceId : deviceIds) {
                ps.setString(1, NotifyChannels.DEVICE_UNPAIRED);
                ps.setString(2, deviceId);
                ps.executeQuery().close();
            }
        }
        return Map.of(TABLE, deviceIds.size());
    }
}
