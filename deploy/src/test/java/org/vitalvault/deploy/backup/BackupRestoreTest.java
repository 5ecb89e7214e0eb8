package org.vitalvault.deploy.backup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vitalvault.deploy.TestFolders;
import org.vitalvault.deploy.db.LocalPostgres;

/**
 * The backup tool against a real PostgreSQL, without the services: a migrated database with rows
 * in it is backed up and restored into a new database of the same server; what the restore must
 * refuse, it refuses before it writes anything. (RestoreDrillIT does the whole drill with the vault.)
 */
class BackupRestoreTest {

    private static Path home;
    private static LocalPostgres postgres;
    private Path work;
    private String source;

    @BeforeAll
    static void startPostgres() throws IOException {
        home = TestFolders.create("backup-test");
        postgres = LocalPostgres.start(home.resolve("pg"), 0);
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
        TestFolders.delete(home);
    }

    @BeforeEach
    void sourceDatabase() throws Exception {
        work = Files.createTempDirectory(home, "case");
        source = newDatabase();
        Flyway.configure().dataSource(url(source), postgres.user(), postgres.password())
                .locations("classpath:db/migration").load().migrate();
        try (Connection c = connect(source); Statement st = c.createStatement()) {
            for (int i = 0; i < 50; i++) {
                st.execute("insert into broker_outbox (device_id, enqueued_at, attempts, next_attempt_at, last_error)"
                        + " values ('" + UUID.randomUUID() + "', now(), " + i + ", now(), " + (i % 2 == 0 ? "null" : "'e" + i + "'") + ")");
            }
            st.execute("update rollup_backfill set complete = not complete");
        }
        for (String key : List.of("master.key", "signing.key", "jwt/private.pem", "jwt/public.pem")) {
            Path f = work.resolve("keys").resolve(key);
            Files.createDirectories(f.getParent());
            Files.writeString(f, "secret of " + key + " " + UUID.randomUUID());
        }
    }

    @Test
    void aRestoreIntoAnEmptyDatabaseGivesBackEveryRowAndEveryKey() throws Exception {
        Path archive = work.resolve("vault.zip");
        Manifest m = backup(archive);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(archive)));
        String target = newDatabase();

        Restore.Report r = Restore.restore(archive, url(target), postgres.user(), postgres.password(),
                KeyFiles.inDataDir(work.resolve("restored")));

        assertEquals(m.schemaVersion(), r.schemaVersion());
        assertEquals(contents(source), contents(target));
        assertEquals(schemaVersion(source), schemaVersion(target));
        for (String key : List.of("master.key", "signing.key", "jwt/private.pem", "jwt/public.pem")) {
            Path restored = work.resolve("restored").resolve(key);
            assertArrayEquals(Files.readAllBytes(work.resolve("keys").resolve(key)), Files.readAllBytes(restored));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(restored)));
        }
    }

    @Test
    void aCorruptArchiveIsRefusedBeforeTheDatabaseIsTouched() throws Exception {
        Path archive = work.resolve("vault.zip");
        backup(archive);
        Path corrupt = work.resolve("corrupt.zip");
        rewrite(archive, corrupt, "data/broker_outbox.copy", bytes -> {
            bytes[bytes.length / 2] ^= 1;
            return bytes;
        });
        String target = newDatabase();

        BackupRefusedException e = assertThrows(BackupRefusedException.class, () -> Restore.restore(corrupt,
                url(target), postgres.user(), postgres.password(), KeyFiles.inDataDir(work.resolve("restored"))));

        assertTrue(e.getMessage().contains("checksum mismatch for data/broker_outbox.copy"), e.getMessage());
        assertTrue(contents(target).isEmpty(), "nothing was created in the target");
        assertFalse(Files.exists(work.resolve("restored")), "no key was written");
    }

    @Test
    void anArchiveOfASchemaVersionThisBuildDoesNotHaveIsRefused() throws Exception {
        Path archive = work.resolve("vault.zip");
        backup(archive);
        Path future = work.resolve("future.zip");
        rewrite(archive, future, Backup.MANIFEST, bytes -> new String(bytes)
                .replaceFirst("\"schemaVersion\" : \"[0-9.]+\"", "\"schemaVersion\" : \"999\"").getBytes());
        String target = newDatabase();

        BackupRefusedException e = assertThrows(BackupRefusedException.class, () -> Restore.restore(future,
                url(target), postgres.user(), postgres.password(), KeyFiles.inDataDir(work.resolve("restored"))));

        assertTrue(e.getMessage().contains("schema version 999"), e.getMessage());
        assertTrue(contents(target).isEmpty());
    }

    @Test
    void aDatabaseThatIsNotEmptyIsNotRestoredInto() throws Exception {
        Path archive = work.resolve("vault.zip");
        backup(archive);

        BackupRefusedException e = assertThrows(BackupRefusedException.class, () -> Restore.restore(archive,
                url(source), postgres.user(), postgres.password(), KeyFiles.inDataDir(work.resolve("restored"))));

        assertTrue(e.getMessage().contains("not empty"), e.getMessage());
    }

    @Test
    void aKeyFileWithOtherContentIsNeverOverwritten() throws Exception {
        Path archive = work.resolve("vault.zip");
        backup(archive);
        Path other = work.resolve("other/master.key");
        Files.createDirectories(other.getParent());
        Files.writeString(other, "a different master key");
        String target = newDatabase();

        assertThrows(BackupRefusedException.class, () -> Restore.restore(archive, url(target), postgres.user(),
                postgres.password(), KeyFiles.inDataDir(work.resolve("other"))));

        assertEquals("a different master key", Files.readString(other));
        assertTrue(contents(target).isEmpty());
    }

    private Manifest backup(Path archive) throws Exception {
        try (Connection c = connect(source)) {
            return Backup.write(c, KeyFiles.inDataDir(work.resolve("keys")), archive);
        }
    }

    private interface Edit {
        byte[] apply(byte[] bytes);
    }

    /** A copy of {@code from} with one entry's bytes changed (checksums in the manifest left as they were). */
    private static void rewrite(Path from, Path to, String entry, Edit edit) throws IOException {
        try (ZipFile in = new ZipFile(from.toFile()); OutputStream os = Files.newOutputStream(to);
             ZipOutputStream out = new ZipOutputStream(os)) {
            for (Enumeration<? extends ZipEntry> e = in.entries(); e.hasMoreElements(); ) {
                ZipEntry z = e.nextElement();
                byte[] bytes;
                try (InputStream is = in.getInputStream(z)) {
                    bytes = is.readAllBytes();
                }
                out.putNextEntry(new ZipEntry(z.getName()));
                out.write(z.getName().equals(entry) ? edit.apply(bytes) : bytes);
                out.closeEntry();
            }
        }
    }

    /** Every table's rows as text, sorted: equal maps mean equal databases. */
    private static Map<String, List<String>> contents(String db) throws SQLException {
        Map<String, List<String>> all = new TreeMap<>();
        try (Connection c = connect(db)) {
            for (String table : Schema.tables(c)) {
                List<String> rows = new ArrayList<>();
                try (Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("select t::text from " + table + " t order by 1")) {
                    while (rs.next()) {
                        rows.add(rs.getString(1));
                    }
                }
                all.put(table, rows);
            }
        }
        return all;
    }

    private static String schemaVersion(String db) throws SQLException {
        try (Connection c = connect(db)) {
            return Backup.schemaVersion(c);
        }
    }

    private static String newDatabase() throws SQLException {
        String name = "db_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection c = connect("postgres"); Statement st = c.createStatement()) {
            st.execute("create database " + name);
        }
        return name;
    }

    private static String url(String db) {
        return postgres.jdbcUrl().replaceFirst("/postgres(\\?|$)", "/" + db + "$1");
    }

    private static Connection connect(String db) throws SQLException {
        return DriverManager.getConnection(url(db), postgres.user(), postgres.password());
    }
}
