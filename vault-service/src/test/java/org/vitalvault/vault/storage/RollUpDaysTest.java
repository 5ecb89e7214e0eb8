package org.vitalvault.vault.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vitalvault.vault.storage.PassFixtures.count;
import static org.vitalvault.vault.storage.PassFixtures.oneHertz;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.vitalvault.store.DayRollups;
import org.vitalvault.vault.support.DailyRollupState;
import org.vitalvault.vault.support.GatewayWrites;
import org.vitalvault.vault.support.Tokens;

/** The day pass alone: daily rollups missing since before V9 are filled in while the backfill runs. */
@QuarkusTest
class RollUpDaysTest {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    CompactHours compactHours;

    @Inject
    RollUpDays rollUpDays;

    private final Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(9, ChronoUnit.HOURS);

    @Test
    void aMissingDayIsWrittenWhileBackfillingAndTheBackfillThenRecordsItselfComplete() throws Exception {
        UUID owner = compactedHourWithoutItsDay();
        DailyRollupState.setComplete(dataSource, false);
        try {
            while (rollUpDays.run(1000, Instant.now()) > 0) {
                // until no day is missing
            }

            assertEquals(1, count(dataSource, "reading_day", owner));
            try (Connection c = dataSource.getConnection()) {
                assertTrue(DayRollups.complete(c));
            }
        } finally {
            DailyRollupState.setComplete(dataSource, true);
        }
    }

    @Test
    void onceTheBackfillIsCompleteAMissingDayIsNotLookedFor() throws Exception {
        UUID owner = compactedHourWithoutItsDay();

        rollUpDays.run(1000, Instant.now());

        assertEquals(0, count(dataSource, "reading_day", owner), "only an hour's own rewrite writes its day now");
        // Put the row back, as the next compaction of that hour would: other tests read every day.
        DailyRollupState.setComplete(dataSource, false);
        try {
            while (rollUpDays.run(1000, Instant.now()) > 0) {
                // until no day is missing
            }
        } finally {
            DailyRollupState.setComplete(dataSource, true);
        }
    }

    private UUID compactedHourWithoutItsDay() throws Exception {
        UUID owner = Tokens.register(Tokens.newOwnerToken());
        GatewayWrites.writeSealed(dataSource, owner, "heart_rate", hour, oneHertz(UUID.randomUUID(), hour, 20));
        compactHours.ofOwner(owner, 10, Instant.now());
        assertEquals(1, count(dataSource, "reading_day", owner));
        PassFixtures.update(dataSource, "delete from reading_day where owner_id = ?", owner);
        return owner;
    }
}
