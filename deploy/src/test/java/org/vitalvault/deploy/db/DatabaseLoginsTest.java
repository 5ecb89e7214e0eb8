package org.vitalvault.deploy.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitalvault.store.Migrations;

/**
 * The local stack's logins (docs/decisions/036) on a real PostgreSQL, and the upgrade of a data
 * folder whose schema a superuser migrated before schema version 13: deploy/db/roles.sql hands it
 * to the migrator, whose login can then apply V13 itself, as the vault's Flyway does.
 */
class DatabaseLoginsTest {

    private static final Path ROLES_SQL = Path.of(System.getProperty("vitalvault.repo", ".."))
            .resolve("deploy/db/roles.sql");
    private static final Map<String, String> PASSWORDS = Map.of(
            DatabaseLogins.MIGRATOR, "pw-migrator", DatabaseLogins.VAULT, "pw-vault",
            DatabaseLogins.GATEWAY, "pw-gateway", DatabaseLogins.BROKER, "pw-broker");

    @TempDir
    Path tempDir;

    @Test
    void aSchemaMigratedByTheSuperuserBeforeV13IsHandedToTheMigratorWhoAppliesV13() throws Exception {
        try (LocalPostgres postgres = LocalPostgres.start(tempDir.resolve("pg"), 0)) {
            try (Connection c = superuser(postgres); Statement s = c.createStatement()) {
                for (Migrations.Script script : Migrations.all()) {
                    if (script.version() < 13) {
                        s.execute(script.sql());
                    }
                }
                // What Flyway left behind, owned by the superuser as well.
                s.execute("create table flyway_schema_history (installed_rank int primary key, version text)");
            }
            postgres.requirePasswords();
            DatabaseLogins.ensure(postgres.jdbcUrl(), postgres.user(), postgres.password(), ROLES_SQL, PASSWORDS);
            DatabaseLogins.ensure(postgres.jdbcUrl(), postgres.user(), postgres.password(), ROLES_SQL, PASSWORDS);

            try (Connection migrator = login(postgres, DatabaseLogins.MIGRATOR); Statement s = migrator.createStatement()) {
                assertEquals("vitalvault_migrator", single(s, "select current_user"));
                s.execute(Migrations.all().stream().filter(m -> m.version() == 13).findFirst().orElseThrow().sql());
            }
            try (Connection c = superuser(postgres); Statement s = c.createStatement()) {
                assertEquals("0", single(s, "select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace"
                        + " where n.nspname = 'public' and c.relkind in ('r', 'v', 'S')"
                        + " and c.relowner <> 'vitalvault_migrator'::regrole"), "everything is the migrator's");
            }
            try (Connection gateway = login(postgres, DatabaseLogins.GATEWAY); Statement s = gateway.createStatement()) {
                assertEquals("0", single(s, "select count(*) from gateway_device_directory"));
                SQLException refused = assertThrows(SQLException.class, () -> s.executeQuery("select * from device"));
                assertEquals("42501", refused.getSQLState());
            }
            try (Connection vault = login(postgres, DatabaseLogins.VAULT); Statement s = vault.createStatement()) {
                assertEquals("0", single(s, "select count(*) from consent_grant"));
                SQLException refused = assertThrows(SQLException.class,
                        () -> s.executeQuery("select * from flyway_schema_history"));
                assertEquals("42501", refused.getSQLState());
            }
            try (Connection broker = login(postgres, DatabaseLogins.BROKER); Statement s = broker.createStatement()) {
                assertEquals("0", single(s, "select count(*) from broker_device_credential"));
            }
        }
    }

    @Test
    void everyLoginButTheSuperuserMustGiveItsPasswordAndNoneIsASuperuser() throws Exception {
        try (LocalPostgres postgres = LocalPostgres.start(tempDir.resolve("pg"), 0)) {
            postgres.requirePasswords();
            DatabaseLogins.ensure(postgres.jdbcUrl(), postgres.user(), postgres.password(), ROLES_SQL, PASSWORDS);
            for (String login : DatabaseLogins.LOGINS) {
                SQLException wrong = assertThrows(SQLException.class,
                        () -> DriverManager.getConnection(postgres.jdbcUrl(), login, "wrong").close());
                assertEquals("28P01", wrong.getSQLState(), login);
                try (Connection c = login(postgres, login); Statement s = c.createStatement()) {
                    assertEquals("f", single(s, "select rolsuper from pg_roles where rolname = session_user"));
                }
            }
            try (Connection c = superuser(postgres); Statement s = c.createStatement()) {
                assertTrue(single(s, "select current_user").equals("postgres"), "the superuser stays trusted on loopback");
            }
        }
    }

    private static Connection superuser(LocalPostgres postgres) throws SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
    }

    private static Connection login(LocalPostgres postgres, String login) throws SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl(), login, PASSWORDS.get(login));
    }

    private static String single(Statement s, String sql) throws SQLException {
        try (ResultSet rows = s.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }
}
