package org.vitalvault.gateway.activity;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;
import org.vitalvault.store.DeviceActivity;
import org.vitalvault.store.DeviceActivityWriter;

/**
 * Writes activity rows as the gateway's database role (INSERT only, V20), one multi-row INSERT per
 * window. When PostgreSQL refuses the rows themselves — an owner erased since the window began
 * (foreign key) — the rows are written one by one, so one erased owner loses only its own rows.
 */
public final class JdbcActivityStore implements ActivityStore {

    private final DataSource dataSource;
    private final int timeoutSeconds;

    public JdbcActivityStore(DataSource dataSource, int timeoutSeconds) {
        this.dataSource = dataSource;
        this.timeoutSeconds = timeoutSeconds;
    }

    @Override
    public int write(List<DeviceActivity> rows) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            try {
                DeviceActivityWriter.write(c, rows, timeoutSeconds);
                return rows.size();
            } catch (SQLException e) {
                if (!refusedRows(e) || rows.size() == 1) {
                    throw e;
                }
            }
            int written = 0;
            for (DeviceActivity row : rows) {
                try {
                    DeviceActivityWriter.write(c, List.of(row), timeoutSeconds);
                    written++;
                } catch (SQLException e) {
                    if (!refusedRows(e)) {
                        throw e;
                    }
                }
            }
            return written;
        }
    }

    /** Class 23 (integrity constraint violation): the rows, not the database, are the problem. */
    private static boolean refusedRows(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("23");
    }
}
