package org.vitalvault.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Erases an owner's sealed rows: the vault epochs' KEK-wrapped data keys are overwritten with zeros
 * first (they are wrapped like the owner's private keys), then the owner's epochs, pending batches,
 * compacted hours and daily rollups are deleted. Run while the owner's key rows are locked (no new
 * epoch can then be created for them) and before the key rows are deleted, so the epoch count is
 * exact. Nothing sealed here can be opened once the owner's private keys are destroyed; deleting
 * the rows makes them gone as well as useless.
 */
public final class SealedStoreEraser implements OwnerDataEraser {

    /** Before the owner's key rows (their deletion would cascade to the epochs uncounted). */
    public static final int ORDER = 100;

    @Override
    public Set<String> tables() {
        return Set.copyOf(SealedTables.OWNER_TABLES);
    }

    @Override
    public int order() {
        return ORDER;
    }

    @Override
    public Map<String, Integer> erase(Connection c, UUID ownerId) throws SQLException {
        Map<String, Integer> erased = new LinkedHashMap<>();
        update(c, "update vault_epoch set wrapped_data_key = decode(repeat('00', length(wrapped_data_key)), 'hex')"
                + " where owner_id = ? and wrapped_data_key is not null", ownerId);
        // Deleting an epoch would cascade to its vault_epoch row; explicit so no schema change can leave one.
        erased.put(SealedTables.VAULT_EPOCH, OwnerDataEraser.deleteRowsOf(c, SealedTables.VAULT_EPOCH, ownerId));
        erased.put(SealedTables.SEAL_EPOCH, OwnerDataEraser.deleteRowsOf(c, SealedTables.SEAL_EPOCH, ownerId));
        erased.put(SealedTables.READING_BATCH, OwnerDataEraser.deleteRowsOf(c, SealedTables.READING_BATCH, ownerId));
        erased.put(SealedTables.READING_SEGMENT, OwnerDataEraser.deleteRowsOf(c, SealedTables.READING_SEGMENT, ownerId));
        erased.put(SealedTables.READING_DAY, OwnerDataEraser.deleteRowsOf(c, SealedTables.READING_DAY, ownerId));
        return erased;
    }

    private static int update(Connection c, String sql, UUID ownerId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, ownerId);
            return ps.executeUpdate();
        }
    }
}
