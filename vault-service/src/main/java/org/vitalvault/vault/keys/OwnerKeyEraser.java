package org.vitalvault.vault.keys;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.vitalvault.store.OwnerDataEraser;

/**
 * Crypto-shredding: overwrites the owner's wrapped private keys with zeros of the same length, then
 * deletes the key rows. After the sealed store's eraser (the key rows' deletion would cascade to
 * the epochs uncounted).
 */
@ApplicationScoped
public class OwnerKeyEraser implements OwnerDataEraser {

    public static final String TABLE = "owner_key";

    @Override
    public Set<String> tables() {
        return Set.of(TABLE);
    }

    @Override
    public int order() {
        return 200;
    }

    @Override
    public Map<String, Integer> erase(Connection c, UUID ownerId) throws SQLException {
        try (PreparedStatement wipe = c.prepareStatement("update owner_key set wrapped_private_key"
                + " = decode(repeat('00', length(wrapped_private_key)), 'hex') where owner_id = ?");
             PreparedStatement delete = c.prepareStatement("delete from owner_key where owner_id = ?")) {
            wipe.setObject(1, ownerId);
            wipe.executeUpdate();
            delete.setObject(1, ownerId);
            return Map.of(TABLE, delete.executeUpdate());
        }
    }
}
