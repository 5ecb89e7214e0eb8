package org.vitalvault.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The schema's migrations as every consumer finds them: on the classpath, in version order. */
class MigrationsTest {

    @Test
    void migrationsAreFoundOnTheClasspathInVersionOrderWithoutGaps() {
        List<Migrations.Script> all = Migrations.all();
        assertEquals(IntStream.rangeClosed(1, all.size()).boxed().toList(),
                all.stream().map(Migrations.Script::version).toList());
        assertEquals("V1__owners_devices_sealed_batches.sql", all.get(0).fileName(),
                "file names are Flyway's history: never renamed");
    }

    @Test
    void everySealedStoreTableExistsKeyedByOwnerAfterTheMigrations() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
             Connection c = postgres.getPostgresDatabase().getConnection()) {
            Migrations.applyAll(c);
            for (String table : SealedTables.OWNER_TABLES) {
                try (PreparedStatement ps = c.prepareStatement("""
                        select 1 from information_schema.columns
                         where table_schema = current_schema() and table_name = ? and column_name = ?
                        """)) {
                    ps.setString(1, table);
                    ps.setString(2, SealedTables.OWNER_ID);
                    try (ResultSet rs = ps.executeQuery()) {
                        assertTrue(rs.next(), table + " has " + SealedTables.OWNER_ID);
                    }
                }
            }
        }
    }
}
