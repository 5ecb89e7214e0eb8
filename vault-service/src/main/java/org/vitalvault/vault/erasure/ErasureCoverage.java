package org.vitalvault.vault.erasure;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import org.vitalvault.store.OwnerDataEraser;

/**
 * Whether the erasers cover the schema: every table of the current schema with a column that keys
 * an owner's rows ({@code owner_id}, or a name ending in {@code _owner_id} such as a co-op's founder)
 * must be in some eraser's {@link OwnerDataEraser#tables()}. Read from the live database
 * (information_schema), so a table added by a migration, or by hand, is seen the day it exists.
 */
public final class ErasureCoverage {

    private ErasureCoverage() {
    }

    /** The owner-keyed tables of {@code c}'s current schema that no eraser covers, sorted; empty when all are. */
    public static Set<String> uncoveredTables(Connection c, Iterable<? extends OwnerDataEraser> erasers)
            throws SQLException {
        Set<String> covered = new HashSet<>();
        for (OwnerDataEraser e : erasers) {
            covered.addAll(e.tables());
        }
        Set<String> uncovered = new TreeSet<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select distinct col.table_name
                  from information_schema.columns col
                  join information_schema.tables t
                    on t.table_schema = col.table_schema and t.table_name = col.table_name
                 where col.table_schema = current_schema() and t.table_type = 'BASE TABLE'
                   and (col.column_name = 'owner_id' or col.column_name like '%\\_owner\\_id')
                """); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                if (!covered.contains(rs.getString(1))) {
                    uncovered.add(rs.getString(1));
                }
            }
        }
        return uncovered;
    }
}
