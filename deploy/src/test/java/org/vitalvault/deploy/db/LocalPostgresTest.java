package org.vitalvault.deploy.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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
