package org.vitalvault.deploy.backup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.postgresql.PGConnection;
import org.vitalvault.store.Migrations;

/**
 * Restores an archive {@link Backup} wrote: into an <em>empty</em> database, which it first
 * migrates with Flyway to exactly the archive's schema version (the same migration files the
 * vault runs, from sealed-store), then copies every table in one transaction, parents before
 * children, sets the sequences, and puts the key files back (mode 0600). It refuses, before it
 * writes anything, a corrupt archive (any checksum or entry missing), a schema version this build
 * does not have, a non-empty target database, and a key file already present with other content.
 */
public final class Restore {

    private Restore() {
    }

    /** What a restore did. */
    public record Report(String schemaVersion, long rows, List<Path> keysWritten, List<String> keysNotRestored) {
    }

    /** Reads the manifest and checks every entry's SHA-256; the archive is usable only if this passes. */
    public static Manifest verify(Path archive) throws IOException {
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            Manifest m = manifest(zip);
            for (Manifest.Table t : m.tables()) {
                check(zip, t.entry(), t.sha256());
            }
            for (Manifest.Entry k : m.keys()) {
                check(zip, k.entry(), k.sha256());
            }
            return m;
        } catch (ZipException e) {
            throw new BackupRefusedException("the archive is corrupt: " + e.getMessage());
        }
    }

    /**
     * Restores into the database at {@code jdbcUrl} (connecting as the schema owner: the migration
     * role, or a superuser) and writes the keys to {@code targets}' paths.
     */
    public static Report restore(Path archive, String jdbcUrl, String user, String password, KeyFiles targets)
            throws IOException, SQLException {
        Manifest m = verify(archive);
        if (m.format() != Manifest.FORMAT) {
            throw new BackupRefusedException("archive format " + m.format() + " (this tool reads " + Manifest.FORMAT + ")");
        }
        Set<String> known = new HashSet<>();
        Migrations.all().forEach(s -> known.add(String.valueOf(s.version())));
        if (!known.contains(m.schemaVersion())) {
            throw new BackupRefusedException("the archive is at schema version " + m.schemaVersion()
                    + ", which this build's migrations " + known + " do not have: restore with the vault build that took it");
        }
        Map<String, Path> keyTargets = targets.byEntry();
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            for (Manifest.Entry k : m.keys()) {
                Path target = keyTargets.get(k.entry());
                if (target != null && Files.exists(target)
                        && !Arrays.equals(Files.readAllBytes(target), zip.getInputStream(zip.getEntry(k.entry())).readAllBytes())) {
                    throw new BackupRefusedException(target + " exists with another key; move it away first");
                }
            }
            long rows;
            try (Connection c = DriverManager.getConnection(jdbcUrl, user, password)) {
                if (!Schema.tables(c).isEmpty() || Schema.tableExists(c, Backup.HISTORY)) {
                    throw new BackupRefusedException("the target database is not empty: restore only into a new database");
                }
                migrate(jdbcUrl, user, password, m.schemaVersion());
                String migrated = Backup.schemaVersion(c);
                if (!migrated.equals(m.schemaVersion())) {
                    throw new BackupRefusedException("migrated to " + migrated + ", archive is at " + m.schemaVersion());
                }
                rows = copyIn(c, zip, m);
            }
            List<Path> written = new ArrayList<>();
            List<String> skipped = new ArrayList<>();
            for (Manifest.Entry k : m.keys()) {
                Path target = keyTargets.get(k.entry());
                if (target == null) {
                    skipped.add(k.entry());
                    continue;
                }
                writeSecret(target, zip.getInputStream(zip.getEntry(k.entry())).readAllBytes());
                written.add(target);
            }
            return new Report(m.schemaVersion(), rows, written, skipped);
        }
    }

    private static void migrate(String jdbcUrl, String user, String password, String version) {
        Flyway.configure().dataSource(jdbcUrl, user, password).locations("classpath:db/migration")
                .target(MigrationVersion.fromVersion(version)).load().migrate();
    }

    /** One transaction: empty what the migrations seeded, then COPY every table in, parents first. */
    private static long copyIn(Connection c, ZipFile zip, Manifest m) throws SQLException, IOException {
        List<String> present = Schema.tables(c);
        List<String> names = m.tables().stream().map(Manifest.Table::name).toList();
        if (!new HashSet<>(present).equals(new HashSet<>(names))) {
            throw new BackupRefusedException("the migrated schema has tables " + present + ", the archive " + names);
        }
        c.setAutoCommit(false);
        try {
            PGConnection pg = c.unwrap(PGConnection.class);
            long total = 0;
            List<String> order = Schema.parentsFirst(c, names);
            // Children first when emptying (rows a migration seeded, e.g. rollup_backfill).
            try (Statement st = c.createStatement()) {
                for (int i = order.size() - 1; i >= 0; i--) {
                    st.executeUpdate("delete from " + order.get(i));
                }
            }
            for (String name : order) {
                Manifest.Table t = m.tables().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
                List<String> columns = Schema.columns(c, name);
                if (!columns.equals(t.columns())) {
                    throw new BackupRefusedException(name + " has columns " + columns + ", the archive " + t.columns());
                }
                try (InputStream in = zip.getInputStream(zip.getEntry(t.entry()))) {
                    long rows = pg.getCopyAPI().copyIn("COPY " + name + " (" + String.join(", ", columns)
                            + ") FROM STDIN (FORMAT binary)", in);
                    if (rows != t.rows()) {
                        throw new BackupRefusedException(name + ": " + rows + " rows copied, manifest says " + t.rows());
                    }
                    total += rows;
                }
            }
            try (var ps = c.prepareStatement("select setval(?::regclass, ?, true)")) {
                for (Map.Entry<String, Long> s : m.sequences().entrySet()) {
                    ps.setString(1, s.getKey());
                    ps.setLong(2, s.getValue());
                    ps.execute();
                }
            }
            c.commit();
            return total;
        } catch (SQLException | IOException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private static Manifest manifest(ZipFile zip) throws IOException {
        ZipEntry e = zip.getEntry(Backup.MANIFEST);
        if (e == null) {
            throw new BackupRefusedException("the archive has no " + Backup.MANIFEST);
        }
        try (InputStream in = zip.getInputStream(e)) {
            return Backup.JSON.readValue(in, Manifest.class);
        } catch (com.fasterxml.jackson.core.JacksonException bad) {
            throw new BackupRefusedException("the archive's manifest is unreadable: " + bad.getOriginalMessage());
        }
    }

    private static void check(ZipFile zip, String entry, String sha256) throws IOException {
        ZipEntry e = zip.getEntry(entry);
        if (e == null) {
            throw new BackupRefusedException("the archive lacks " + entry);
        }
        MessageDigest sha = Backup.sha256();
        try (InputStream in = zip.getInputStream(e)) {
            byte[] buf = new byte[65536];
            for (int n; (n = in.read(buf)) > 0; ) {
                sha.update(buf, 0, n);
            }
        } catch (ZipException bad) {
            throw new BackupRefusedException("the archive is corrupt at " + entry + ": " + bad.getMessage());
        }
        if (!Backup.hex(sha).equals(sha256)) {
            throw new BackupRefusedException("checksum mismatch for " + entry + ": the archive is corrupt");
        }
    }

    private static void writeSecret(Path file, byte[] content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".restore", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(tmp, content);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
