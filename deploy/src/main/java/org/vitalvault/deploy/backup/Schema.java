package org.vitalvault.deploy.backup;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The catalogue queries backup and restore share: tables, their columns, their foreign keys. */
final class Schema {

    private Schema() {
    }

    /** Ordinary tables of the current schema except Flyway's history, by name. */
    static List<String> tables(Connection c) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select c.relname from pg_class c"
                + " join pg_namespace n on n.oid = c.relnamespace"
                + " where n.nspname = current_schema() and c.relkind = 'r' and c.relname <> ? order by c.relname")) {
            ps.setString(1, Backup.HISTORY);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tables.add(quoteIfNeeded(rs.getString(1)));
                }
            }
        }
        return tables;
    }

    static boolean tableExists(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select 1 from pg_class c join pg_namespace n"
                + " on n.oid = c.relnamespace where n.nspname = current_schema() and c.relname = ?")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Columns COPY can carry (no dropped or generated ones), in table order. */
    static List<String> columns(Connection c, String table) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select attname from pg_attribute where attrelid = ?::regclass"
                + " and attnum > 0 and not attisdropped and attgenerated = '' order by attnum")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add(quoteIfNeeded(rs.getString(1)));
                }
            }
        }
        return columns;
    }

    /**
     * {@code tables} ordered so that every table comes after the tables its foreign keys point to:
     * the restore copies into non-deferrable constraints (and must not need a superuser to switch
     * them off).
     */
    static List<String> parentsFirst(Connection c, List<String> tables) throws SQLException {
        Map<String, Set<String>> parents = new LinkedHashMap<>();
        tables.forEach(t -> parents.put(t, new LinkedHashSet<>()));
        try (PreparedStatement ps = c.prepareStatement("select conrelid::regclass::text, confrelid::regclass::text"
                + " from pg_constraint where contype = 'f' and connamespace = current_schema()::regnamespace");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String child = rs.getString(1);
                String parent = rs.getString(2);
                if (parents.containsKey(child) && parents.containsKey(parent) && !child.equals(parent)) {
                    parents.get(child).add(parent);
                }
            }
        }
        List<String> ordered = new ArrayList<>();
        Set<String> done = new LinkedHashSet<>();
        while (ordered.size() < tables.size()) {
            boolean progress = false;
            for (String t : tables) {
                if (!done.contains(t) && done.containsAll(parents.get(t))) {
                    ordered.add(t);
                    done.add(t);
                    progress = true;
                }
            }
            if (!progress) {
                throw new BackupRefusedException("foreign keys form a cycle among " + parents.keySet());
            }
        }
        return ordered;
    }

    private static String quoteIfNeeded(String name) {
        return name.matches("[a-z_][a-z0-9_]*") ? name : '"' + name.replace("\"", "\"\"") + '"';
    }
}
