package org.vitalvault.vault.datause;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.vitalvault.store.OwnerDataEraser;

/** Deletes the owner's "who used my data" trail. */
@ApplicationScoped
public class DataUseEraser implements OwnerDataEraser {

    public static final String DATA_USE = "data_use";

    @Override
    public Set<String> tables() {
        return Set.of(DATA_USE);
    }

    @Override
    public int order() {
        return 800;
    }

    @Override
    public Map<String, Integer> erase(Connection c, UUID ownerId) throws SQLException {
        Map<String, Integer> erased = new LinkedHashMap<>();
        erased.put(DATA_USE, OwnerDataEraser.deleteRowsOf(c, "data_use", ownerId));
        return erased;
    }
}
