package org.vitalvault.deploy.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalPostgresTest {

    @TempDir
    Path tempDir;

    @Test
    void committedRowSurvivesStopAndStartOnTheSameDataDirectory() throws SQLException {
        Path dataDir = tempDir.resolve("pg");
        try (LocalPostgres postgres = LocalPostgres.start(dataDir, 0);
                Connection connection = connect(postgres);
                Statement statement = connection.createStatement()) {
            statement.execute("create table kept (id int primary key, note text not null)");
            statement.execute("insert into kept values (1, 'still here')");
        }

        try (LocalPostgres postgres = LocalPostgres.start(dataDir, 0);
                Connection connection = connect(postgres)) {
            assertEquals("still here", single(connection, "select note from kept where id = 1"));
        }
    }

    @Test
    void runsDurablyAndOnlyOnLocalhost() throws SQLException {
        try (LocalPostgres postgres = LocalPostgres.start(tempDir.resolve("pg"), 0);
                Connection connection = connect(postgres)) {
            assertNotEquals(0, postgres.port());
            assertEquals("on", single(connection, "show fsync"));
            assertEquals("on", single(connection, "show synchronous_commit"));
            assertEquals("localhost", single(connection, "show listen_addresses"));
            assertEquals("postgres", single(connection, "select current_user"));
        }
    }

    @Test
    void isSizedForAVaultNotForPostgresDefaults() throws SQLException {
        try (LocalPostgres postgres = LocalPostgres.start(tempDir.resolve("pg"), 0);
                Connection connection = connect(postgres)) {
            long megabytes = LocalPostgres.sharedBuffersMegabytes();
            assertTrue(megabytes >= 128 && megabytes <= 1024, megabytes + " MB");
            assertEquals(megabytes, Long.parseLong(single(connection,
                    "select setting::bigint * 8 / 1024 from pg_settings where name = 'shared_buffers'")));
            assertEquals("8GB", single(connection, "show max_wal_size"));
            assertEquals("15min", single(connection, "show checkpoint_timeout"));
        }
    }

    @Test
    void aBenchmarksExtraSettingsApplyButCannotTurnDurabilityOff() throws SQLException {
        try (LocalPostgres postgres = LocalPostgres.start(tempDir.resolve("pg"), 0, Map.of("work_mem", "8MB"));
                Connection connection = connect(postgres)) {
            assertEquals("8MB", single(connection, "show work_mem"));
        }
        for (String durability : List.of("fsync", "synchronous_commit", "full_page_writes", "listen_addresses")) {
            assertThrows(IllegalArgumentException.class,
                    () -> LocalPostgres.start(tempDir.resolve("never"), 0, Map.of(durability, "off")));
        }
    }

    private static Connection connect(LocalPostgres postgres) throws SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
    }

    private static String single(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }
}
