package org.vitalvault.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.vitalvault.store.audit.AuditAppender;
import org.vitalvault.store.audit.AuditCheckpoints;
import org.vitalvault.store.audit.AuditIntegrator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Least privilege (migration V13, docs/decisions/036): logged in as a member of each group role,
 * on the real schema, each may do what its service does and nothing else. The gateway parses
 * untrusted device input; if it is compromised, this is all its login can do.
 */
class DatabaseRolesTest {

    private static final String INSUFFICIENT_PRIVILEGE = "42501";
    /** What the gateway may write: the tables of ingest, and its per-device activity counts (V20). */
    private static final List<String> GATEWAY_WRITES = List.of("seal_epoch", "reading_batch", "device_activity");

    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void migrateAndCreateLoginUsers() throws IOException, SQLException {
        postgres = EmbeddedPostgres.builder().start();
        try (Connection c = superuser(); Statement s = c.createStatement()) {
            Migrations.applyAll(c);
            s.execute("create role gw login in role vitalvault_gateway");
            s.execute("create role vt login in role vitalvault_vault");
            s.execute("create role br login in role vitalvault_broker");
            s.execute("create role mg login in role vitalvault_migrator");
            s.execute("alter role mg set role = 'vitalvault_migrator'");
        }
    }

    @AfterAll
    static void stop() throws IOException {
        postgres.close();
    }

    private static Connection superuser() throws SQLException {
        return postgres.getPostgresDatabase().getConnection();
    }

    private static Connection as(String login) throws SQLException {
        return postgres.getDatabase(login, "postgres").getConnection();
    }

    /** Every table the migrations made (not views), with one of its columns that may be updated. */
    private static Map<String, String> tables() throws SQLException {
        Map<String, String> tables = new LinkedHashMap<>();
        try (Connection c = superuser(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                select t.table_name, (select column_name from information_schema.columns col
                                       where col.table_schema = t.table_schema and col.table_name = t.table_name
                                         and col.is_identity = 'NO'
                                       order by ordinal_position limit 1)
                  from information_schema.tables t
                 where t.table_schema = 'public' and t.table_type = 'BASE TABLE' and t.table_name not like 'later%'
                 order by t.table_name
                """)) {
            while (rs.next()) {
                tables.put(rs.getString(1), rs.getString(2));
            }
        }
        return tables;
    }

    private static void assertRefused(Connection c, String sql) {
        SQLException e = assertThrows(SQLException.class, () -> {
            try (Statement s = c.createStatement()) {
                s.execute(sql);
            }
        }, sql);
        assertEquals(INSUFFICIENT_PRIVILEGE, e.getSQLState(), sql + ": " + e.getMessage());
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Test
    void theGatewayIsRefusedEveryReadAndChangeOfEveryTableButItsTwoInserts() throws Exception {
        Map<String, String> tables = tables();
        assertTrue(tables.keySet().containsAll(List.of("owner_key", "device", "consent_grant", "consent_event",
                "coop_membership", "privacy_ledger", "researcher_org", "lease", "lease_participant", "data_use",
                "lease_credit", "owner_shared_attributes", "vault_epoch", "device_activity")), tables.keySet().toString());
        try (Connection gw = as("gw")) {
            gw.setAutoCommit(true);
            for (Map.Entry<String, String> t : tables.entrySet()) {
                String table = t.getKey();
                String column = t.getValue();
                assertRefused(gw, "select * from " + table + " limit 1");
                assertRefused(gw, "update " + table + " set " + column + " = " + column + " where false");
                assertRefused(gw, "delete from " + table + " where false");
                assertRefused(gw, "truncate " + table);
                if (!GATEWAY_WRITES.contains(table)) {
                    assertRefused(gw, "insert into " + table + " default values");
                }
            }
            assertRefused(gw, "select * from broker_device_credential");
            assertRefused(gw, "select wrapped_private_key from owner_key");
        }
    }

    @Test
    void theGatewayCanNeitherRunProgramsNorCreateNorChangeAnything() throws Exception {
        try (Connection gw = as("gw")) {
            gw.setAutoCommit(true);
            assertRefused(gw, "copy (select 1) to program 'id'");
            assertRefused(gw, "copy reading_batch from program 'id'");
            assertRefused(gw, "create table stolen (x int)");
            assertRefused(gw, "create temporary table stolen (x int)");
            assertRefused(gw, "create function f() returns int language sql as 'select 1'");
            assertRefused(gw, "drop view gateway_device_directory");
            assertRefused(gw, "alter table device add column x int");
            assertRefused(gw, "grant select on device to gw");
            assertRefused(gw, "set role vitalvault_vault");
            assertRefused(gw, "select pg_read_file('postgresql.conf')");
        }
    }

    @Test
    void theGatewaysDirectoryViewShowsPairedDevicesWithTheirOwnersNewestKeyAndNothingElse() throws Exception {
        UUID owner = owner(2);
        UUID paired = device(owner, false);
        UUID unpaired = device(owner, true);
        List<String> columns = new ArrayList<>();
        try (Connection gw = as("gw"); PreparedStatement ps = gw.prepareStatement(
                "select * from gateway_device_directory where device_id = any(?)")) {
            ps.setArray(1, gw.createArrayOf("uuid", new Object[] {paired, unpaired}));
            try (ResultSet rs = ps.executeQuery()) {
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    columns.add(rs.getMetaData().getColumnName(i));
                }
                assertTrue(rs.next(), "the paired device is there");
                assertEquals(paired, rs.getObject("device_id", UUID.class));
                assertEquals(owner, rs.getObject("owner_id", UUID.class));
                assertEquals(2, rs.getInt("key_version"), "the newest current key");
                assertArrayEquals(new byte[] {2, 7}, rs.getBytes("owner_public_key"));
                assertArrayEquals(new byte[] {10, 11}, rs.getBytes("mac_key"));
                assertTrue(rs.getBoolean("mac_required"));
                assertFalse(rs.next(), "an unpaired device is not");
            }
        }
        assertEquals(List.of("device_id", "owner_id", "key_version", "owner_public_key", "mac_key", "mac_required"),
                columns, "no name, no credential hash, no wrapped key");
    }

    @Test
    void theGatewayWritesSealedBatchesAndEpochsThroughTheWriterAndItsRetryPath() throws Exception {
        UUID owner = owner(1);
        UUID epoch = UUID.randomUUID();
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
        List<NewEpoch> epochs = List.of(new NewEpoch(owner, epoch, 1, new byte[] {1, 2, 3}));
        List<SealedBatch> batches = List.of(
                new SealedBatch(owner, "heart_rate", hour, UUID.randomUUID(), epoch, 2, new byte[] {9, 9}),
                new SealedBatch(owner, "spo2", hour, UUID.randomUUID(), epoch, 1, new byte[] {8}));
        try (Connection gw = as("gw")) {
            assertEquals(ReadingBatchWriter.Outcome.COPIED, ReadingBatchWriter.write(gw, epochs, batches, Instant.now()));
            // The commit's answer was lost: the same rows again take the INSERT … ON CONFLICT path.
            assertEquals(ReadingBatchWriter.Outcome.RETRIED_WITH_INSERT,
                    ReadingBatchWriter.write(gw, epochs, batches, Instant.now()));
        }
        try (Connection c = superuser(); PreparedStatement ps = c.prepareStatement(
                "select (select count(*) from reading_batch where owner_id = ?), (select count(*) from seal_epoch where owner_id = ?)")) {
            ps.setObject(1, owner);
            ps.setObject(2, owner);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(2, rs.getInt(1));
                assertEquals(1, rs.getInt(2));
            }
        }
    }

    @Test
    void theGatewayAddsDeviceActivityButCanNeitherReadNorChangeNorDeleteIt() throws Exception {
        UUID owner = owner(1);
        UUID device = device(owner, false);
        Instant window = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        try (Connection gw = as("gw")) {
            gw.setAutoCommit(true);
            DeviceActivityWriter.write(gw, List.of(new DeviceActivity(owner, device, window, window.plusSeconds(3), 5,
                    Map.of("out-of-range", 2, "too-old", 1))), 5);
            assertRefused(gw, "select count(*) from device_activity");
            assertRefused(gw, "select owner_id from device_activity where device_id = '" + device + "'");
            assertRefused(gw, "update device_activity set accepted = 0");
            assertRefused(gw, "update device_activity set rejected = '{}' where false");
            assertRefused(gw, "delete from device_activity");
            assertRefused(gw, "truncate device_activity");
            // Reading back through an INSERT's RETURNING or an upsert's conflict check needs SELECT too.
            assertRefused(gw, "insert into device_activity (owner_id, device_id, window_start, last_at, accepted,"
                    + " rejected_total) values ('" + owner + "', '" + device + "', now(), now(), 0, 0) returning *");
        }
        try (Connection c = superuser(); PreparedStatement ps = c.prepareStatement(
                "select accepted, rejected_total, rejected->>'out-of-range', rejected->>'too-old'"
                        + " from device_activity where owner_id = ? and device_id = ?")) {
            ps.setObject(1, owner);
            ps.setObject(2, device);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertEquals(5, rs.getInt(1));
                assertEquals(3, rs.getInt(2));
                assertEquals("2", rs.getString(3));
                assertEquals("1", rs.getString(4));
                assertFalse(rs.next());
            }
        }
    }

    /** The transparency log's tables (V21): the vault runs the log; the gateway touches none of it. */
    private static final List<String> AUDIT_TABLES = List.of("audit_owner_entry", "audit_owner_chain",
            "audit_deployment_entry", "audit_pending", "audit_leaf", "audit_tile", "audit_head", "audit_checkpoint");

    @Test
    void theGatewayHasNoPrivilegeOnAnyAuditTableNorItsSequence() throws Exception {
        assertTrue(tables().keySet().containsAll(AUDIT_TABLES), "V21 made the audit tables");
        try (Connection c = superuser(); PreparedStatement ps = c.prepareStatement(
                "select t, p from unnest(?::text[]) t, unnest(array['SELECT','INSERT','UPDATE','DELETE','TRUNCATE',"
                        + "'REFERENCES','TRIGGER']) p where has_table_privilege('vitalvault_gateway', t, p)")) {
            ps.setArray(1, c.createArrayOf("text", AUDIT_TABLES.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                List<String> granted = new ArrayList<>();
                while (rs.next()) {
                    granted.add(rs.getString(1) + " " + rs.getString(2));
                }
                assertEquals(List.of(), granted);
            }
        }
        try (Connection gw = as("gw")) {
            gw.setAutoCommit(true);
            for (String table : AUDIT_TABLES) {
                assertRefused(gw, "select * from " + table + " limit 1");
                assertRefused(gw, "insert into " + table + " default values");
            }
            assertRefused(gw, "select nextval('audit_entry_id_seq')");
            assertRefused(gw, "update audit_head set tree_size = 0");
        }
    }

    @Test
    void theVaultAppendsIntegratesAndCheckpointsTheLogButCannotRewriteItsSchema() throws Exception {
        UUID owner = owner(1);
        try (Connection vt = as("vt")) {
            vt.setAutoCommit(false);
            AuditAppender.appendForOwners(vt, List.of(owner), (o, seq, prev) -> new byte[] {1},
                    (owners, plains) -> plains.toArray(new byte[0][]));
            AuditAppender.appendDeployment(vt, "TEST", Instant.now(), new byte[] {2});
            vt.commit();
            AuditIntegrator.Integration done = AuditIntegrator.integrate(vt, 100).orElseThrow();
            assertTrue(done.integrated() >= 2);
            assertTrue(AuditCheckpoints.insert(vt, new AuditCheckpoints.Stored(done.head().size(),
                    done.head().rootHash(), "note", Instant.now())));
            vt.commit();
            vt.setAutoCommit(true);
            for (String table : AUDIT_TABLES) {
                assertRefused(vt, "alter table " + table + " add column x int");
                assertRefused(vt, "drop table " + table);
            }
        }
    }

    @Test
    void theBrokerReadsOnlyPairedDevicesCredentialHashes() throws Exception {
        UUID owner = owner(1);
        UUID paired = device(owner, false);
        UUID unpaired = device(owner, true);
        try (Connection br = as("br")) {
            br.setAutoCommit(true);
            try (PreparedStatement ps = br.prepareStatement(
                    "select credential_hash from broker_device_credential where device_id = ?")) {
                ps.setObject(1, paired);
                try (ResultSet rs = ps.executeQuery()) {
                    assertTrue(rs.next());
                    assertArrayEquals(new byte[] {0}, rs.getBytes(1));
                }
                ps.setObject(1, unpaired);
                try (ResultSet rs = ps.executeQuery()) {
                    assertFalse(rs.next());
                }
            }
            for (String table : tables().keySet()) {
                assertRefused(br, "select * from " + table + " limit 1");
            }
            assertRefused(br, "select * from gateway_device_directory");
            assertRefused(br, "copy (select 1) to program 'id'");
            assertRefused(br, "create table stolen (x int)");
        }
    }

    @Test
    void theVaultChangesRowsButIsNoSuperuserNoOwnerAndCannotRunPrograms() throws Exception {
        try (Connection vt = as("vt")) {
            vt.setAutoCommit(true);
            try (Statement s = vt.createStatement(); ResultSet rs = s.executeQuery(
                    "select rolsuper, rolcreaterole, rolcreatedb, rolbypassrls from pg_roles where rolname = current_user")) {
                rs.next();
                for (int i = 1; i <= 4; i++) {
                    assertFalse(rs.getBoolean(i), "attribute " + i);
                }
            }
            for (Map.Entry<String, String> t : tables().entrySet()) {
                String table = t.getKey();
                if (table.equals("flyway_schema_history")) {
                    continue;
                }
                execute(vt, "select * from " + table + " limit 1");
                execute(vt, "update " + table + " set " + t.getValue() + " = " + t.getValue() + " where false");
                execute(vt, "delete from " + table + " where false");
                assertRefused(vt, "drop table " + table);
                assertRefused(vt, "truncate " + table);
                assertRefused(vt, "alter table " + table + " add column x int");
            }
            assertRefused(vt, "copy (select 1) to program 'id'");
            assertRefused(vt, "create table stolen (x int)");
            assertRefused(vt, "select pg_read_file('postgresql.conf')");
            // Owner erasure's VACUUM owner_key (PostgreSQL 17's MAINTAIN privilege): done, not skipped with a warning.
            try (Statement s = vt.createStatement()) {
                s.execute("vacuum owner_key");
                assertNull(s.getWarnings(), "VACUUM owner_key skipped");
            }
        }
    }

    @Test
    void theVaultWritesALedgerEntryThroughItsIdentityColumn() throws Exception {
        UUID owner = owner(1);
        try (Connection vt = as("vt"); PreparedStatement ps = vt.prepareStatement(
                "insert into privacy_ledger (owner_id, lease_id, charged_at, epsilon) values (?, ?, now(), 0.5)")) {
            vt.setAutoCommit(true);
            ps.setObject(1, owner);
            ps.setObject(2, UUID.randomUUID());
            assertEquals(1, ps.executeUpdate());
        }
    }

    @Test
    void theMigratorOwnsTheSchemaAndEverythingInIt() throws Exception {
        try (Connection c = superuser(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                select c.relname, pg_get_userbyid(c.relowner)
                  from pg_class c join pg_namespace n on n.oid = c.relnamespace
                 where n.nspname = 'public' and c.relkind in ('r', 'v', 'S', 'i')
                union all
                select 'schema public', pg_get_userbyid(nspowner) from pg_namespace where nspname = 'public'
                """)) {
            int seen = 0;
            while (rs.next()) {
                assertEquals("vitalvault_migrator", rs.getString(2), rs.getString(1));
                seen++;
            }
            assertTrue(seen > 40, "tables, views, sequences, indexes: " + seen);
        }
    }

    @Test
    void tablesOfLaterMigrationsAreTheVaultsToChangeAndNeverTheGatewaysWhoeverCreatesThem() throws Exception {
        // As production's Flyway runs: the migrator's login, whose sessions run as vitalvault_migrator.
        try (Connection mg = as("mg")) {
            mg.setAutoCommit(true);
            execute(mg, "create table later_by_migrator (id bigint generated always as identity primary key, x int)");
        }
        // As the tests' Migrations class and the vault's Quarkus tests run: a superuser.
        try (Connection c = superuser()) {
            execute(c, "create table later_by_superuser (id bigint generated always as identity primary key, x int)");
        }
        for (String table : List.of("later_by_migrator", "later_by_superuser")) {
            try (Connection vt = as("vt")) {
                vt.setAutoCommit(true);
                execute(vt, "insert into " + table + " (x) values (1)");
                execute(vt, "update " + table + " set x = 2");
                execute(vt, "select * from " + table);
                execute(vt, "delete from " + table);
                assertRefused(vt, "drop table " + table);
            }
            try (Connection gw = as("gw")) {
                gw.setAutoCommit(true);
                assertRefused(gw, "select * from " + table);
                assertRefused(gw, "insert into " + table + " (x) values (1)");
            }
        }
        try (Connection c = superuser(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "select pg_get_userbyid(relowner) from pg_class where relname = 'later_by_migrator'")) {
            rs.next();
            assertEquals("vitalvault_migrator", rs.getString(1), "the group role owns it, not the login");
        }
    }

    private static UUID owner(int keyVersions) throws SQLException {
        UUID owner = UUID.randomUUID();
        try (Connection c = superuser()) {
            try (PreparedStatement ps = c.prepareStatement("insert into owner values (?, ?, now())")) {
                ps.setObject(1, owner);
                ps.setString(2, "subject-" + owner);
                ps.executeUpdate();
            }
            for (int v = 1; v <= keyVersions; v++) {
                try (PreparedStatement ps = c.prepareStatement(
                        "insert into owner_key values (?, ?, ?, '\\x02'::bytea, 'kek', now(), null)")) {
                    ps.setObject(1, owner);
                    ps.setInt(2, v);
                    ps.setBytes(3, new byte[] {(byte) v, 7});
                    ps.executeUpdate();
                }
            }
        }
        return owner;
    }

    private static UUID device(UUID owner, boolean unpaired) throws SQLException {
        UUID device = UUID.randomUUID();
        try (Connection c = superuser(); PreparedStatement ps = c.prepareStatement(
                "insert into device (owner_id, device_id, name, credential_hash, paired_at, unpaired_at, mac_key, mac_required)"
                        + " values (?, ?, 'strap', '\\x00'::bytea, now(), " + (unpaired ? "now()" : "null")
                        + ", '\\x0a0b'::bytea, true)")) {
            ps.setObject(1, owner);
            ps.setObject(2, device);
            ps.executeUpdate();
        }
        return device;
    }
}
