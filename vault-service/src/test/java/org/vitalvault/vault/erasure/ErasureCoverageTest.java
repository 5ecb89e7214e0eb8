package org.vitalvault.vault.erasure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.vitalvault.store.OwnerDataEraser;
import org.vitalvault.store.SealedTables;

/**
 * Erasure covers the live schema: every table holding owner-keyed rows is cleared by some store's
 * eraser, so a migration that adds one cannot leave an erased owner's rows behind unnoticed.
 */
@QuarkusTest
class ErasureCoverageTest {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Instance<OwnerDataEraser> erasers;

    @Test
    void everyTableWithOwnerRowsIsCoveredByAnEraser() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            assertEquals(Set.of(), ErasureCoverage.uncoveredTables(c, erasers),
                    "tables with owner rows that no OwnerDataEraser erases: add an eraser (or a table to one)");
        }
    }

    @Test
    void aNewOwnerKeyedTableNoEraserCoversIsReported() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            // As a migration might add it; dropped below so other tests see the real schema.
            s.execute("create table stray_owner_notes (owner_id uuid not null, note text)");
            s.execute("create table stray_referral (referred_owner_id uuid, at timestamptz)");
            try {
                assertEquals(Set.of("stray_owner_notes", "stray_referral"), ErasureCoverage.uncoveredTables(c, erasers));
            } finally {
                s.execute("drop table stray_owner_notes");
                s.execute("drop table stray_referral");
            }
        }
    }

    @Test
    void everyEraserRunsAtItsOwnPlaceAndTheOwnerRowGoesLast() {
        List<OwnerDataEraser> all = erasers.stream().toList();
        Set<Integer> orders = new HashSet<>();
        all.forEach(e -> assertTrue(orders.add(e.order()), "two erasers share order " + e.order()));
        OwnerDataEraser last = all.stream().max((a, b) -> Integer.compare(a.order(), b.order())).orElseThrow();
        assertEquals(Set.of("owner"), last.tables());
        assertTrue(all.stream().anyMatch(e -> e.tables().containsAll(SealedTables.OWNER_TABLES)),
                "the sealed store's eraser is among them");
    }
}
