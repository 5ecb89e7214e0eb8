package org.vitalvault.deploy.db;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresDataVersionTest {

    @TempDir
    Path dataDir;

    @Test
    void aFolderWithoutAClusterIsFreeToUse() {
        assertEquals(Optional.empty(), PostgresDataVersion.recordedMajor(dataDir.resolve("postgres")));
        assertDoesNotThrow(() -> PostgresDataVersion.requireCompatible(dataDir.resolve("postgres"), "17"));
    }

    @Test
    void dataOfTheSameMajorStarts() throws IOException {
        Files.writeString(dataDir.resolve("PG_VERSION"), "17\n");
        assertEquals(Optional.of("17"), PostgresDataVersion.recordedMajor(dataDir));
        assertDoesNotThrow(() -> PostgresDataVersion.requireCompatible(dataDir, "17"));
    }

    @Test
    void dataOfAnOlderMajorIsRefusedWithBothVersionsAndTheWayOut() throws IOException {
        Files.writeString(dataDir.resolve("PG_VERSION"), "16\n");
        IncompatibleDataDirectoryException refused = assertThrows(IncompatibleDataDirectoryException.class,
                () -> PostgresDataVersion.requireCompatible(dataDir, "17"));
        String message = refused.getMessage();
        assertTrue(message.contains("made by PostgreSQL 16"), message);
        assertTrue(message.contains("runs PostgreSQL 17"), message);
        assertTrue(message.contains("rm -rf " + dataDir.toAbsolutePath().normalize()), message);
        assertTrue(message.contains("pg_dumpall"), message);
        assertTrue(message.contains("Nothing was started"), message);
    }

    @Test
    void dataOfANewerMajorIsRefusedToo() throws IOException {
        Files.writeString(dataDir.resolve("PG_VERSION"), "18\n");
        IncompatibleDataDirectoryException refused = assertThrows(IncompatibleDataDirectoryException.class,
                () -> PostgresDataVersion.requireCompatible(dataDir, "17"));
        assertTrue(refused.getMessage().contains("made by PostgreSQL 18, newer than this build's PostgreSQL 17"),
                refused.getMessage());
    }

    @Test
    void aPre10MajorHasTwoParts() throws IOException {
        assertEquals("9.6", PostgresDataVersion.majorOf("9.6.24"));
        assertEquals("17", PostgresDataVersion.majorOf("17.6.0"));
        Files.writeString(dataDir.resolve("PG_VERSION"), "9.6\n");
        assertThrows(IncompatibleDataDirectoryException.class, () -> PostgresDataVersion.requireCompatible(dataDir, "17"));
    }

    @Test
    void theLauncherKnowsItsBinariesMajorFromTheBuild() {
        // Filled in from ${postgres-binaries.version} of the parent pom: a bare major, not a placeholder.
        assertTrue(PostgresDataVersion.binariesMajor().matches("\\d+"), PostgresDataVersion.binariesMajor());
    }

    @Test
    void theLocalStackRefusesAnOlderClusterBeforeStartingPostgres() throws IOException {
        Files.writeString(dataDir.resolve("PG_VERSION"), "9.6\n");
        assertThrows(IncompatibleDataDirectoryException.class, () -> LocalPostgres.start(dataDir, 0));
    }
}
