package org.vitalvault.vault.device;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
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
import org.vitalvault.vault.broker.BrokerProvisioning;

/**
 * Deletes the owner's devices and sends the same notification as unpairing (DeviceResource.unpair):
 * gateways and the broker that listen forget each device when the erasure commits, instead of after
 * their cache lifetime; an external broker's logins are deleted through the outbox.
 */
@ApplicationScoped
public class DeviceEraser implements OwnerDataEraser {

    @Inject
    BrokerProvisioning broker;

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
        List<UUID> deviceIds = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("delete from device where owner_id = ? returning device_id")) {
            ps.setObject(1, ownerId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    deviceIds.add(rs.getObject(1, UUID.class));
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("select pg_notify(?, ?)")) {
            for (UUID deviceId : deviceIds) {
                ps.setString(1, NotifyChannels.DEVICE_UNPAIRED);
                ps.setString(2, deviceId.toString());
                ps.executeQuery().close();
            }
        }
        // An external broker's logins of these devices go too, through the outbox (decision 029).
        broker.deprovision(c, deviceIds);
        return Map.of(TABLE, deviceIds.size());
    }
}
