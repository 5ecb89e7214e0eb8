package org.vitalvault.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A store that holds owner-keyed rows and erases them when the owner erases their account. The
 * erasure runs every eraser, in {@link #order()}, inside one transaction on one connection, after it
 * has locked the owner row and the owner's key rows; an eraser deletes (or, for rows shared with
 * others, detaches) every row of the owner in the tables it {@linkplain #tables() covers}.
 *
 * <p>Coverage is checked against the live schema: every table with an {@code owner_id} column must
 * be covered by some eraser (the vault's erasure coverage test), so a new owner-keyed table cannot
 * be forgotten silently.
 */
public interface OwnerDataEraser {

    /** The tables this eraser clears of an owner's rows. */
    Set<String> tables();

    /**
     * When this eraser runs, lowest first. Rows another eraser's tables refer to by foreign key must
     * go first, and the {@code owner} row last.
     */
    int order();

    /**
     * Erases every row of {@code ownerId} in {@link #tables()} on {@code c} (the erasure's transaction)
     * and returns the rows erased per table (tables may be left out when not worth counting).
     */
    Map<String, Integer> erase(Connection c, UUID ownerId) throws SQLException;

    /**
     * Deletes every row of {@code ownerId} from {@code table} (a table name of the schema, never
     * input) and returns how many went: what most erasers do, table by table.
     */
    static int deleteRowsOf(Connection c, String table, UUID ownerId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("delete from " + table + " where owner_id = ?")) {
            ps.setObject(1, ownerId);
            return ps.executeUpdate();
        }
    }
}
