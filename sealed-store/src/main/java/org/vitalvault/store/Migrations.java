package org.vitalvault.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The schema's Flyway migrations ({@code db/migration/V<n>__<name>.sql} on this module's classpath),
 * for the code that needs the schema without Flyway: tests of the gateway and of this module, which
 * run them in order on an empty embedded PostgreSQL. The vault migrates with Flyway from the same
 * resources, so both always see the same schema.
 */
public final class Migrations {

    private static final Pattern NAME = Pattern.compile("V(\\d+)__.*\\.sql");

    /** One migration script: its Flyway version, file name and SQL. */
    public record Script(int version, String fileName, String sql) {
    }

    private Migrations() {
    }

    /** Every versioned migration, in version order. */
    public static List<Script> all() {
        URL dir = Migrations.class.getClassLoader().getResource(SealedTables.MIGRATIONS);
        if (dir == null) {
            throw new IllegalStateException("no " + SealedTables.MIGRATIONS + " on the classpath");
        }
        List<String> names = new ArrayList<>();
        try {
            if ("jar".equals(dir.getProtocol())) {
                JarURLConnection jar = (JarURLConnection) dir.openConnection();
                jar.setUseCaches(false);
                try (JarFile file = jar.getJarFile()) {
                    String prefix = SealedTables.MIGRATIONS + "/";
                    for (JarEntry e : file.stream().toList()) {
                        if (e.getName().startsWith(prefix) && !e.isDirectory()) {
                            names.add(e.getName().substring(prefix.length()));
                        }
                    }
                }
            } else {
                try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
                    files.forEach(f -> names.add(f.getFileName().toString()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + SealedTables.MIGRATIONS + " failed", e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("listing " + SealedTables.MIGRATIONS + " failed", e);
        }
        List<Script> scripts = new ArrayList<>();
        for (String name : names) {
            Matcher m = NAME.matcher(name);
            if (m.matches()) {
                scripts.add(new Script(Integer.parseInt(m.group(1)), name, read(name)));
            }
        }
        scripts.sort(Comparator.comparingInt(Script::version));
        return scripts;
    }

    /** Runs every migration, in order, on {@code c} (an empty database). */
    public static void applyAll(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (Script script : all()) {
                s.execute(script.sql());
            }
        }
    }

    private static String read(String name) {
        String path = SealedTables.MIGRATIONS + "/" + name;
        try (InputStream in = Migrations.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("migration " + name + " vanished from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading migration " + name + " failed", e);
        }
    }
}
