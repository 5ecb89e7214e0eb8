package org.vitalvault.store.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vitalvault.store.audit.AuditCheckpoints.Stored;

/** Checkpoints by size: the first signed for a size is kept, the latest is the largest. */
class AuditCheckpointsTest {

    private static LogDatabase db;

    @BeforeAll
    static void start() throws Exception {
        db = LogDatabase.start();
        db.reset();
    }

    @AfterAll
    static void stop() throws Exception {
        db.close();
    }

    @Test
    void aSecondCheckpointOfTheSameSizeIsRefusedAndTheLatestIsTheLargest() throws Exception {
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        try (Connection c = db.superuser()) {
            assertEquals(Optional.empty(), AuditCheckpoints.latest(c), "none before the first");
            assertTrue(AuditCheckpoints.insert(c, new Stored(10, hash(1), "note 10", at)));
            assertTrue(AuditCheckpoints.insert(c, new Stored(25, hash(2), "note 25", at.plusSeconds(2))));
            assertFalse(AuditCheckpoints.insert(c, new Stored(10, hash(3), "another replica's note 10", at)),
                    "another replica signed size 10 first");
            assertTrue(AuditCheckpoints.insert(c, new Stored(5, hash(4), "note 5", at)));

            Stored latest = AuditCheckpoints.latest(c).orElseThrow();
            assertEquals(25, latest.size());
            assertEquals("note 25", latest.note());
            assertEquals(at.plusSeconds(2), latest.signedAt());
            Stored ten = AuditCheckpoints.ofSize(c, 10).orElseThrow();
            assertEquals("note 10", ten.note());
            assertArrayEquals(hash(1), ten.rootHash());
            assertEquals(Optional.empty(), AuditCheckpoints.ofSize(c, 11));
        }
    }

    private static byte[] hash(int b) {
        byte[] h = new byte[32];
        h[0] = (byte) b;
        return h;
    }
}
