package org.vitalvault.vault.ledger;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.vitalvault.store.OwnerDataEraser;

/** Deletes the privacy loss charged to the owner. */
@ApplicationScoped
public class LedgerEraser implements OwnerDataEraser {

    public static final String TABLE = "privacy_ledger";

    @Override
    public Set<String> tables() {
        return Set.of(TABLE);
    }

    @Override
    public int order() {
        return 600;
    }

    @Override
    public Map<String, Integer> erase(Connection c, UUID ownerId) throws SQLException {
        return Map.of(TABLE, OwnerDataEraser.deleteRowsOf(c, TABLE, ownerId));
    }
}
