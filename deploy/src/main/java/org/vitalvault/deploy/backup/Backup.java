package org.vitalvault.deploy.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.postgresql.PGConnection;

/**
 * Takes a backup: every table of the vault's schema as a binary COPY stream, all read in one
 * REPEATABLE READ, READ ONLY transaction (one snapshot, as pg_dump takes it: a reading committed
 * after the snapshot is in no table, one committed before is in all), the Flyway version, the
 * sequence positions and the key files, into one zip archive (mode 0600) with a manifest of
 * SHA-256 checksums. The services keep running meanwhile; nothing is locked but against DDL.
 *
 * <p>The archive holds the master key beside the data it protects: whoever holds it holds every
 * owner's readings. Store it as the KEK itself is stored (docs/decisions/040).
 */
public final class Backup {

    static final String MANIFEST = "manifest.json";
    static final String HISTORY = "flyway_schema_history";
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Backup() {
    }

    /** Writes the archive; {@code c} is used for this transaction only and left in autocommit. */
    public static Manifest write(Connection c, KeyFiles keys, Path archive) throws SQLException, IOException {
        for (Path key : keys.byEntry().values()) {
            if (!Files.isRegularFile(key)) {
                throw new BackupRefusedException("key file " + key + " is missing");
            }
        }
        Path dir = archive.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".backup", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(tmp))) {
            try (Statement st = c.createStatement()) {
                st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            }
            String version = schemaVersion(c);
            List<Manifest.Table> tables = new ArrayList<>();
            PGConnection pg = c.unwrap(PGConnection.class);
            for (String table : Schema.tables(c)) {
                List<String> columns = Schema.columns(c, table);
                MessageDigest sha = sha256();
                zip.putNextEntry(new ZipEntry("data/" + table + ".copy"));
                long rows = pg.getCopyAPI().copyOut("COPY " + table + " (" + String.join(", ", columns)
                        + ") TO STDOUT (FORMAT binary)", new DigestOutputStream(new KeepOpen(zip), sha));
                zip.closeEntry();
                tables.add(new Manifest.Table(table, columns, rows, hex(sha)));
            }
            Map<String, Long> sequences = sequences(c);
            String server = serverVersion(c);
            c.commit();

            List<Manifest.Entry> keyEntries = new ArrayList<>();
            for (Map.Entry<String, Path> key : keys.byEntry().entrySet()) {
                byte[] bytes = Files.readAllBytes(key.getValue());
                zip.putNextEntry(new ZipEntry(key.getKey()));
                zip.write(bytes);
                zip.closeEntry();
                keyEntries.add(new Manifest.Entry(key.getKey(), hex(sha256().digest(bytes))));
            }
            Manifest manifest = new Manifest(Manifest.FORMAT, Instant.now().toString(), version, server, tables,
                    sequences, keyEntries);
            zip.putNextEntry(new ZipEntry(MANIFEST));
            zip.write(JSON.writeValueAsBytes(manifest));
            zip.closeEntry();
            zip.finish();
            zip.close();
            Files.move(tmp, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return manifest;
        } catch (SQLException | IOException | RuntimeException e) {
            c.rollback();
            Files.deleteIfExists(tmp);
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    /** The latest successful Flyway migration: what a restore must migrate an empty database to. */
    static String schemaVersion(Connection c) throws SQLException {
        if (!Schema.tableExists(c, HISTORY)) {
            throw new BackupRefusedException("no " + HISTORY + ": not a database the vault has migrated");
        }
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select version from " + HISTORY
                + " where success and version is not null order by installed_rank desc limit 1")) {
            if (!rs.next()) {
                throw new BackupRefusedException(HISTORY + " names no successful migration");
            }
            return rs.getString(1);
        }
    }

    private static Map<String, Long> sequences(Connection c) throws SQLException {
        Map<String, Long> m = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select sequencename, last_value from pg_sequences"
                + " where schemaname = current_schema() and last_value is not null order by sequencename");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                m.put(rs.getString(1), rs.getLong(2));
            }
        }
        return m;
    }

    private static String serverVersion(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("show server_version")) {
            rs.next();
            return rs.getString(1);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(MessageDigest sha) {
        return hex(sha.digest());
    }

    static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }

    /** The zip stream stays open when one entry's writer is done with it. */
    private static final class KeepOpen extends FilterOutputStream {
        KeepOpen(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
