package org.vitalvault.deploy.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * The local stack's database logins (docs/decisions/036): one per service, each a member of the
 * group role migration V13 grants to, none a superuser.
 *
 * <ul>
 *   <li>{@code migrator} ∈ {@code vitalvault_migrator}: Flyway (the vault's start-up migration).
 *       Its sessions run as the group role ({@code ALTER ROLE … SET role}), so what it creates
 *       belongs to the group role, not to the login, and the default privileges V13 sets apply.</li>
 *   <li>{@code vault} ∈ {@code vitalvault_vault}: the vault's datasource.</li>
 *   <li>{@code gateway} ∈ {@code vitalvault_gateway}: the sensor gateway's datasource.</li>
 *   <li>{@code broker} ∈ {@code vitalvault_broker}: the embedded broker's device logins.</li>
 * </ul>
 *
 * <p>{@link #ensure} runs as the superuser on every start: it runs {@code deploy/db/roles.sql}
 * (the group roles, the schema handed to the migrator — also what upgrades a data folder whose
 * tables the superuser created before V13), then creates each login that is missing and sets
 * every login's password to the one in the data folder. Idempotent.
 */
public final class DatabaseLogins {

    public static final String MIGRATOR = "migrator";
    public static final String VAULT = "vault";
    public static final String GATEWAY = "gateway";
    public static final String BROKER = "broker";
    public static final List<String> LOGINS = List.of(MIGRATOR, VAULT, GATEWAY, BROKER);

    private static final Map<String, String> GROUP_ROLE = Map.of(
            MIGRATOR, "vitalvault_migrator",
            VAULT, "vitalvault_vault",
            GATEWAY, "vitalvault_gateway",
            BROKER, "vitalvault_broker");

    private DatabaseLogins() {
    }

    /**
     * @param rolesSql  {@code deploy/db/roles.sql}
     * @param passwords each login's password (see {@link #LOGINS})
     */
    public static void ensure(String jdbcUrl, String superuser, String superuserPassword, Path rolesSql,
                              Map<String, String> passwords) throws IOException, SQLException {
        String roles = Files.readString(rolesSql);
        try (Connection c = DriverManager.getConnection(jdbcUrl, superuser, superuserPassword);
             Statement s = c.createStatement()) {
            s.execute(roles);
            for (String login : LOGINS) {
                String password = passwords.get(login);
                if (password == null || password.isEmpty()) {
                    throw new IllegalArgumentException("no password for database login " + login);
                }
                boolean exists;
                try (PreparedStatement ps = c.prepareStatement("select 1 from pg_roles where rolname = ?")) {
                    ps.setString(1, login);
                    try (ResultSet rs = ps.executeQuery()) {
                        exists = rs.next();
                    }
                }
                // DDL takes no bind parameters: the password is quoted as a literal (it is URL-safe
                // Base64 anyway), and the statement never reaches a log of ours.
                s.execute((exists ? "alter role " : "create role ") + login
                        + " login nosuperuser nocreatedb nocreaterole noreplication nobypassrls password "
                        + literal(password));
                s.execute("grant " + GROUP_ROLE.get(login) + " to " + login);
            }
            s.execute("alter role " + MIGRATOR + " set role = '" + GROUP_ROLE.get(MIGRATOR) + "'");
        }
    }

    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
