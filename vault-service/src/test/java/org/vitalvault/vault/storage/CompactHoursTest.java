package org.vitalvault.vault.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.vitalvault.vault.storage.PassFixtures.count;
import static org.vitalvault.vault.storage.PassFixtures.oneHertz;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.vitalvault.metric.Metric;
import org.vitalvault.metric.MetricCatalogue;
import org.vitalvault.reading.Reading;
import org.vitalvault.vault.readings.OwnerData;
import org.vitalvault.vault.support.GatewayWrites;
import org.vitalvault.vault.support.Tokens;

/** The first pass alone: pending batches into one compacted hour and its day. */
@QuarkusTest
class CompactHoursTest {

    private static final Metric HEART_RATE = MetricCatalogue.standard().byCode("heart_rate").orElseThrow();

    @Inject
    AgroalDataSource dataSource;

    @Inject
    CompactHours compactHours;

    @Inject
    OwnerData data;

    private final Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(5, ChronoUnit.HOURS);
    private final UUID device = UUID.randomUUID();

    @Test
    void anOwnersPendingHourBecomesOneSealedHourWithItsDayAndTheBatchesGo() throws Exception {
        UUID owner = Tokens.register(Tokens.newOwnerToken());
        List<Reading> readings = oneHertz(device, hour, 40);
        GatewayWrites.writeSealed(dataSource, owner, "heart_rate", hour, readings.subList(0, 20));
        GatewayWrites.writeSealed(dataSource, owner, "heart_rate", hour, readings.subList(20, 40));

        HourCounts counts = compactHours.ofOwner(owner, 10, Instant.now());

        assertEquals(new HourCounts(1, 2, 0, 0), counts);
        assertEquals(0, count(dataSource, "reading_batch", owner));
        assertEquals(1, count(dataSource, "reading_segment", owner));
        assertEquals(1, count(dataSource, "reading_day", owner));
        assertEquals(readings, data.raw(owner, HEART_RATE, hour, hour.plus(Duration.ofHours(1))));
    }

    @Test
    void anHourThatHasNotSettledIsLeftPending() throws Exception {
        UUID owner = Tokens.register(Tokens.newOwnerToken());
        GatewayWrites.writeSealed(dataSource, owner, "heart_rate", hour, oneHertz(device, hour, 10));

        // Settled means an hour old or 1000 batches: this hour is neither.
        compactHours.settled(1000, new Settling(Duration.ofHours(1), 1000), Instant.now());

        assertEquals(1, count(dataSource, "reading_batch", owner));
        assertEquals(0, count(dataSource, "reading_segment", owner));
    }

    @Test
    void batchesAGatewayStoredAfterTheOwnerWasErasedAreDeletedNotCompacted() throws Exception {
        UUID owner = Tokens.register(Tokens.newOwnerToken());
        GatewayWrites.writeSealed(dataSource, owner, "heart_rate", hour, oneHertz(device, hour, 10));
        // The owner row goes (its keys and epochs cascade); the batch, as a late gateway wrote it, stays.
        PassFixtures.update(dataSource, "delete from owner where owner_id = ?", owner);
        assertEquals(1, count(dataSource, "reading_batch", owner));

        HourCounts counts = compactHours.ofOwner(owner, 10, Instant.now());

        assertEquals(new HourCounts(0, 0, 0, 1), counts, "one orphan row removed, nothing compacted");
        assertEquals(0, count(dataSource, "reading_batch", owner));
        assertEquals(0, count(dataSource, "reading_segment", owner));
    }
}
