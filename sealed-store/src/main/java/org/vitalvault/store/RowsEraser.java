package org.vitalvault.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What most erasers are: delete every row of the owner from a few tables, in the order given (rows
 * that refer to another of them by foreign key first), and count them per table.
 */
public abstract class RowsEraser implements OwnerDataEraser {

    private final int order;
    private final List<String> tablesInDeleteOrder;

    /** @param tablesInDeleteOrder table names of the schema, never input */
    protected RowsEraser(int order, String... tablesInDeleteOrder) {
        this.order = order;
        this.tablesInDeleteOrder = List.of(tablesInDeleteOrder);
    }

    @Override
    public Set<String> tables() {
        return new LinkedHashSet<>(tablesInDeleteOrder);
    }

    @Override
    public int order() {
        return order;
    }

    @Override
    public Map<String, Integer> erase(Connection c, UUID ownerId) throws SQLException {
        Map<String, Integer> erased = new LinkedHashMap<>();
        for (String table : tablesInDeleteOrder) {
            erased.put(table, OwnerDataEraser.deleteRowsOf(c, table, ownerId));
        }
        return erased;
    }
}
