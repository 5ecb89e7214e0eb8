package org.vitalvault.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vitalvault.store.CitusLayout.Placement;

/**
 * The real schema, as the migrations leave it, is ready to be distributed by owner on Citus
 * (docs/decisions/041): every table has a placement in {@link CitusLayout}; every primary key, unique
 * constraint and unique index of a distributed table includes {@code owner_id}; every foreign key is
 * one Citus accepts for the tables' placements. Citus checks the same rules when the plan runs (and
 * refuses the table); this test checks them on every build, where Citus itself cannot run.
 */
class CitusReadinessTest {

    private static final String OWNER_ID = CitusLayout.DISTRIBUTION_COLUMN;

    private static EmbeddedPostgres postgres;
    private static Connection c;

    /** A key (primary, unique or exclusion constraint, or a unique index) of a table. */
    private record Key(String table, String name, List<String> columns) {
    }

    /** A foreign key: columns of {@code table} referencing columns of {@code target}, with its actions. */
    private record ForeignKey(String table, String name, List<String> columns, String target, List<String> targetColumns,
            char onDelete, char onUpdate) {
    }

    /** Something Citus would refuse. */
    private record Violation(String table, String constraint, String rule) {
        @Override
        public String toString() {
            return table + "." + constraint + ": " + rule;
        }
    }

    @BeforeAll
    static void migrate() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        c = postgres.getPostgresDatabase().getConnection();
        Migrations.applyAll(c);
    }

    @AfterAll
    static void stop() throws Exception {
        c.close();
        postgres.close();
    }

    @Test
    void everyTableOfTheSchemaHasAPlacement() throws SQLException {
        Set<String> unplaced = tables().stream().filter(t -> CitusLayout.placementOf(t).isEmpty())
                .collect(Collectors.toCollection(TreeSet::new));
        assertTrue(unplaced.isEmpty(), "no Citus placement for " + unplaced + ": decide in CitusLayout.TABLES"
                + " (DISTRIBUTED by owner_id if it holds an owner's rows, REFERENCE if small and shared, LOCAL with"
                + " a reason) and see docs/decisions/041-citus-by-owner.md");
    }

    @Test
    void everyPlacedTableExists() throws SQLException {
        Set<String> existing = tables();
        List<String> gone = CitusLayout.TABLES.stream()
                .filter(t -> t.placement() != Placement.LOCAL) // Flyway's history exists only where Flyway ran
                .map(CitusLayout.Table::name).filter(t -> !existing.contains(t)).toList();
        assertEquals(List.of(), gone, "CitusLayout places tables the schema no longer has: remove them");
    }

    @Test
    void theSealedStoresOwnerTablesAreDistributed() {
        List<String> notDistributed = SealedTables.OWNER_TABLES.stream()
                .filter(t -> CitusLayout.placementOf(t).orElse(null) != Placement.DISTRIBUTED).toList();
        assertEquals(List.of(), notDistributed, "SealedTables.OWNER_TABLES hold owners' rows");
    }

    @Test
    void everyDistributedTableHasANotNullUuidOwnerId() throws SQLException {
        List<String> wrong = new ArrayList<>();
        for (String table : distributedTables()) {
            try (var ps = c.prepareStatement("""
                    select data_type, is_nullable from information_schema.columns
                     where table_schema = current_schema() and table_name = ? and column_name = ?
                    """)) {
                ps.setString(1, table);
                ps.setString(2, OWNER_ID);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next() || !"uuid".equals(rs.getString(1)) || !"NO".equals(rs.getString(2))) {
                        wrong.add(table);
                    }
                }
            }
        }
        // colocation needs one column type; a null distribution value has no shard
        assertEquals(List.of(), wrong, "distributed tables without owner_id uuid not null");
    }

    @Test
    void everyPrimaryKeyAndUniqueKeyOfADistributedTableIncludesOwnerId() throws SQLException {
        assertEquals(List.of(), unexempted(keyViolations()),
                "Citus enforces uniqueness per shard only, so it refuses these; include owner_id"
                        + " (or, if it cannot be done yet, add an exemption with its reason to CitusLayout.EXEMPTIONS)");
    }

    @Test
    void everyForeignKeyIsOneCitusAccepts() throws SQLException {
        assertEquals(List.of(), unexempted(foreignKeyViolations()),
                "foreign keys Citus refuses for these placements (docs/decisions/041)");
    }

    @Test
    void everyExemptionStillExcusesSomething() throws SQLException {
        List<Violation> all = new ArrayList<>(keyViolations());
        all.addAll(foreignKeyViolations());
        List<CitusLayout.Exemption> stale = CitusLayout.EXEMPTIONS.stream()
                .filter(e -> all.stream().noneMatch(v -> exempts(e, v))).toList();
        assertEquals(List.of(), stale, "these keys no longer break a Citus rule: remove their exemption");
    }

    @Test
    void thePlanDistributesEveryForeignKeyTargetBeforeTheTablesReferencingIt() throws SQLException {
        List<String> order = CitusLayout.TABLES.stream().map(CitusLayout.Table::name).toList();
        List<String> late = new ArrayList<>();
        for (ForeignKey fk : foreignKeys()) {
            if (!fk.target().equals(fk.table()) && order.indexOf(fk.target()) > order.indexOf(fk.table())) {
                late.add(fk.table() + "." + fk.name() + " -> " + fk.target());
            }
        }
        assertEquals(List.of(), late, "Citus refuses a foreign key whose target is not yet distributed");
    }

    @Test
    void thePlanNamesEveryReferenceAndDistributedTableOnceWithTheAnchorFirst() {
        String plan = CitusLayout.planSql();
        for (CitusLayout.Table t : CitusLayout.TABLES) {
            String call = switch (t.placement()) {
                case REFERENCE -> "create_reference_table('" + t.name() + "')";
                case DISTRIBUTED -> "create_distributed_table('" + t.name() + "', 'owner_id'";
                case LOCAL -> "'" + t.name() + "'";
            };
            assertEquals(t.placement() == Placement.LOCAL ? 0 : 1, plan.split(java.util.regex.Pattern.quote(call), -1)
                    .length - 1, t.name() + " in\n" + plan);
        }
        assertTrue(plan.indexOf("create_distributed_table('" + CitusLayout.ANCHOR + "', 'owner_id', colocate_with =>"
                + " 'none')") < plan.indexOf("colocate_with => '" + CitusLayout.ANCHOR + "'"), plan);
    }

    // --- what Citus would refuse ---------------------------------------------------------------

    private static List<Violation> keyViolations() throws SQLException {
        Set<String> distributed = distributedTables();
        List<Violation> found = new ArrayList<>();
        for (Key k : keys()) {
            if (distributed.contains(k.table()) && !k.columns().contains(OWNER_ID)) {
                found.add(new Violation(k.table(), k.name(), "unique on " + k.columns() + " without " + OWNER_ID));
            }
        }
        return found;
    }

    private static List<Violation> foreignKeyViolations() throws SQLException {
        List<Violation> found = new ArrayList<>();
        for (ForeignKey fk : foreignKeys()) {
            Placement from = placement(fk.table());
            Placement to = placement(fk.target());
            rule(fk, from, to).ifPresent(rule -> found.add(new Violation(fk.table(), fk.name(), rule)));
        }
        return found;
    }

    /** The rule of Citus' "Adding/Removing Constraints" that {@code fk} breaks, if any. */
    private static Optional<String> rule(ForeignKey fk, Placement from, Placement to) {
        String edge = fk.columns() + " -> " + fk.target() + fk.targetColumns() + ": " + from + " -> " + to;
        int owner = fk.columns().indexOf(OWNER_ID);
        if (from == Placement.DISTRIBUTED) {
            if (to == Placement.LOCAL) {
                return Optional.of(edge + ", a distributed table may reference only colocated or reference tables");
            }
            if (to == Placement.DISTRIBUTED
                    && (owner < 0 || !OWNER_ID.equals(fk.targetColumns().get(owner)))) {
                return Optional.of(edge + ", must map owner_id to owner_id (colocated shards)");
            }
            if (owner >= 0 && (fk.onDelete() == 'n' || fk.onDelete() == 'd')) {
                return Optional.of(edge + ", ON DELETE SET NULL/DEFAULT would change the distribution column");
            }
            if (owner >= 0 && (fk.onUpdate() == 'c' || fk.onUpdate() == 'n' || fk.onUpdate() == 'd')) {
                return Optional.of(edge + ", ON UPDATE CASCADE/SET NULL/DEFAULT would change the distribution column");
            }
            return Optional.empty();
        }
        if (to == Placement.DISTRIBUTED) {
            return Optional.of(edge + ", only a colocated distributed table may reference a distributed one");
        }
        if (from == Placement.REFERENCE && to == Placement.LOCAL) {
            return Optional.of(edge + ", a reference table's placements on the workers cannot see a coordinator"
                    + " table");
        }
        return Optional.empty();
    }

    private static List<Violation> unexempted(List<Violation> violations) {
        return violations.stream()
                .filter(v -> CitusLayout.EXEMPTIONS.stream().noneMatch(e -> exempts(e, v))).toList();
    }

    private static boolean exempts(CitusLayout.Exemption e, Violation v) {
        return e.table().equals(v.table()) && e.constraint().equals(v.constraint());
    }

    private static Placement placement(String table) {
        return CitusLayout.placementOf(table)
                .orElseThrow(() -> new AssertionError(table + " has no placement in CitusLayout"));
    }

    // --- the schema, from pg_catalog -------------------------------------------------------------

    private static Set<String> tables() throws SQLException {
        Set<String> found = new TreeSet<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
                 where n.nspname = current_schema() and c.relkind in ('r', 'p')
                """)) {
            while (rs.next()) {
                found.add(rs.getString(1));
            }
        }
        return found;
    }

    private static Set<String> distributedTables() {
        return CitusLayout.TABLES.stream().filter(t -> t.placement() == Placement.DISTRIBUTED)
                .map(CitusLayout.Table::name).collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * Primary keys, unique constraints and every other unique index (partial ones included: Citus
     * refuses them alike), plus exclusion constraints. Expression columns show as null and never
     * count as owner_id.
     */
    private static List<Key> keys() throws SQLException {
        List<Key> found = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                select t.relname, i.relname,
                       array(select a.attname::text from unnest(x.indkey) with ordinality k(attnum, pos)
                               left join pg_attribute a on a.attrelid = t.oid and a.attnum = k.attnum
                              order by k.pos)
                  from pg_index x
                  join pg_class i on i.oid = x.indexrelid
                  join pg_class t on t.oid = x.indrelid
                  join pg_namespace n on n.oid = t.relnamespace
                 where n.nspname = current_schema()
                   and (x.indisunique or exists (select 1 from pg_constraint k
                                                  where k.conindid = x.indexrelid and k.contype = 'x'))
                 order by 1, 2
                """)) {
            while (rs.next()) {
                found.add(new Key(rs.getString(1), rs.getString(2), strings(rs.getArray(3))));
            }
        }
        return found;
    }

    private static List<ForeignKey> foreignKeys() throws SQLException {
        List<ForeignKey> found = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                select t.relname, k.conname,
                       array(select a.attname::text from unnest(k.conkey) with ordinality u(attnum, pos)
                               join pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.attnum
                              order by u.pos),
                       r.relname,
                       array(select a.attname::text from unnest(k.confkey) with ordinality u(attnum, pos)
                               join pg_attribute a on a.attrelid = k.confrelid and a.attnum = u.attnum
                              order by u.pos),
                       k.confdeltype, k.confupdtype
                  from pg_constraint k
                  join pg_class t on t.oid = k.conrelid
                  join pg_class r on r.oid = k.confrelid
                  join pg_namespace n on n.oid = t.relnamespace
                 where n.nspname = current_schema() and k.contype = 'f'
                 order by 1, 2
                """)) {
            while (rs.next()) {
                found.add(new ForeignKey(rs.getString(1), rs.getString(2), strings(rs.getArray(3)), rs.getString(4),
                        strings(rs.getArray(5)), rs.getString(6).charAt(0), rs.getString(7).charAt(0)));
            }
        }
        return found;
    }

    private static List<String> strings(Array array) throws SQLException {
        return Arrays.asList((String[]) array.getArray());
    }
}
