package org.vitalvault.deploy.backup;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * deploy/backup.sh and deploy/restore.sh:
 * <pre>
 *   backup  --out FILE    [--data-dir DIR | --kek F --signing-key F --jwt-private F --jwt-public F]
 *   restore --archive FILE [--data-dir DIR | --kek F --signing-key F --jwt-private F --jwt-public F]
 *   verify  --archive FILE
 * </pre>
 * The database comes from the environment, never the command line (ps shows arguments):
 * VITALVAULT_DB_URL, VITALVAULT_DB_USER, VITALVAULT_DB_PASSWORD — the names the services read.
 * Exit 0 done, 1 refused (corrupt archive, wrong version, non-empty target), 2 usage.
 */
public final class BackupTool {

    private BackupTool() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args.length % 2 == 0) {
            usage();
        }
        Map<String, String> o = new HashMap<>();
        for (int i = 1; i < args.length; i += 2) {
            o.put(args[i], args[i + 1]);
        }
        try {
            switch (args[0]) {
                case "backup" -> {
                    Path out = Path.of(required(o, "--out"));
                    try (Connection c = DriverManager.getConnection(env("VITALVAULT_DB_URL"),
                            env("VITALVAULT_DB_USER"), System.getenv().getOrDefault("VITALVAULT_DB_PASSWORD", ""))) {
                        Manifest m = Backup.write(c, keys(o), out);
                        long rows = m.tables().stream().mapToLong(Manifest.Table::rows).sum();
                        System.out.printf("backup %s: schema version %s, %d tables, %d rows, %d key files%n",
                                out, m.schemaVersion(), m.tables().size(), rows, m.keys().size());
                    }
                }
                case "restore" -> {
                    Restore.Report r = Restore.restore(Path.of(required(o, "--archive")), env("VITALVAULT_DB_URL"),
                            env("VITALVAULT_DB_USER"), System.getenv().getOrDefault("VITALVAULT_DB_PASSWORD", ""), keys(o));
                    System.out.printf("restored schema version %s, %d rows; keys written: %s%n", r.schemaVersion(),
                            r.rows(), r.keysWritten());
                    if (!r.keysNotRestored().isEmpty()) {
                        System.out.println("in the archive but not restored (no target given): " + r.keysNotRestored());
                    }
                }
                case "verify" -> {
                    Manifest m = Restore.verify(Path.of(required(o, "--archive")));
                    System.out.printf("archive intact: schema version %s, taken %s, %d tables, keys %s%n",
                            m.schemaVersion(), m.createdAt(), m.tables().size(),
                            m.keys().stream().map(Manifest.Entry::entry).toList());
                }
                default -> usage();
            }
        } catch (BackupRefusedException e) {
            System.err.println("refused: " + e.getMessage());
            System.exit(1);
        } catch (java.nio.file.NoSuchFileException e) {
            System.err.println("no such file: " + e.getFile());
            System.exit(2);
        }
    }

    private static KeyFiles keys(Map<String, String> o) {
        if (o.containsKey("--data-dir")) {
            return KeyFiles.inDataDir(Path.of(o.get("--data-dir")));
        }
        return new KeyFiles(path(o, "--kek"), path(o, "--signing-key"), path(o, "--jwt-private"), path(o, "--jwt-public"));
    }

    private static Optional<Path> path(Map<String, String> o, String name) {
        return Optional.ofNullable(o.get(name)).map(Path::of);
    }

    private static String required(Map<String, String> o, String name) {
        String v = o.get(name);
        if (v == null) {
            usage();
        }
        return v;
    }

    private static String env(String name) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            System.err.println(name + " is not set");
            System.exit(2);
        }
        return v;
    }

    private static void usage() {
        System.err.println("""
                usage: backup  --out FILE     [--data-dir DIR | --kek F --signing-key F --jwt-private F --jwt-public F]
                       restore --archive FILE [--data-dir DIR | --kek F --signing-key F --jwt-private F --jwt-public F]
                       verify  --archive FILE
                database from VITALVAULT_DB_URL, VITALVAULT_DB_USER, VITALVAULT_DB_PASSWORD""");
        System.exit(2);
    }
}
