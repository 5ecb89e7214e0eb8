package org.vitalvault.deploy.backup;

import java.util.List;
import java.util.Map;

/**
 * What an archive holds ({@code manifest.json}, the first entry): the Flyway version the data was
 * taken at, each table's columns, row count and the SHA-256 of its COPY stream, each sequence's
 * position, and each key file's SHA-256. Restore checks every entry against it before it writes
 * anything.
 */
public record Manifest(int format, String createdAt, String schemaVersion, String postgresVersion,
                       List<Table> tables, Map<String, Long> sequences, List<Entry> keys) {

    public static final int FORMAT = 1;

    /** One table: its archive entry is {@code data/<name>.copy} (COPY … (FORMAT binary)). */
    public record Table(String name, List<String> columns, long rows, String sha256) {
        String entry() {
            return "data/" + name + ".copy";
        }
    }

    /** One key file. */
    public record Entry(String entry, String sha256) {
    }
}
