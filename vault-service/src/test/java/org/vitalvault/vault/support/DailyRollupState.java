package org.vitalvault.vault.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Marks the daily-rollup backfill (V9 {@code rollup_backfill}) complete or not, as after an upgrade. */
public final class DailyRollupState {

    private DailyRollupState() {
    }

    public static void setComplete(DataSource dataSource, boolean complete) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "update rollup_backfill set complete = ? where name = 'reading_day'")) {
            ps.setBoolean(1, complete);
            ps.executeUpdate();
        }
    }
}
