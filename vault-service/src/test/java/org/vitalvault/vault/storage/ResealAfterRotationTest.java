package org.vitalvault.vault.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.vitalvault.metric.MetricCatalogue;
import org.vitalvault.reading.Reading;
import org.vitalvault.vault.keys.OwnerKeyring;
import org.vitalvault.vault.readings.OwnerData;
import org.vitalvault.vault.support.GatewayWrites;
import org.vitalvault.vault.support.Tokens;

/** The re-seal pass alone: after an owner key rotation, compacted hours and days move to the new key. */
@QuarkusTest
class ResealAfterRotationTest {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    CompactHours compactHours;

    @Inject
    ResealAfterRotation reseal;

    @Inject
    OwnerKeyring keyring;

    @Inject
    OwnerData data;

    private final Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(7, ChronoUnit.HOURS);

    @Test
    void hoursAndDaysOnARetiredKeyAreResealedToTheCurrentOneAndReadTheSame() throws Exception {
        UUID owner = Tokens.register(Tokens.newOwnerToken());
        List<Reading> readings = oneHertz(UUID.randomUUID(), hour, 30);
        GatewayWrites.writeSealed(dataSource, owner, "heart_rate", hour, readings);
        compactHours.ofOwner(owner, 10, Instant.now());
        PassFixtures.rotate(dataSource, keyring, owner);
        assertEquals(1, keyVersionOf(owner, "reading_segment"));

        while (reseal.run(1000, Instant.now()).rewritten() > 0) {
            // other tests' owners may be on retired keys too: until none is left
        }

        assertEquals(2, keyVersionOf(owner, "reading_segment"), "the hour is sealed to key version 2");
        assertEquals(2, keyVersionOf(owner, "reading_day"), "and so is its day");
        assertEquals(readings, data.raw(owner, MetricCatalogue.standard().byCode("heart_rate").orElseThrow(), hour,
                hour.plus(Duration.ofHours(1))));
    }

    @Test
    void withNoRotationThereIsNothingToReseal() throws Exception {
        UUID owner = Tokens.register(Tokens.newOwnerToken());
        GatewayWrites.writeSealed(dataSource, owner, "heart_rate", hour, oneHertz(UUID.randomUUID(), hour, 5));
        compactHours.ofOwner(owner, 10, Instant.now());
        while (reseal.run(1000, Instant.now()).rewritten() > 0) {
            // leftovers of other tests
        }

        assertEquals(new HourCounts(0, 0, 0, 0), reseal.run(1000, Instant.now()));
        assertEquals(1, keyVersionOf(owner, "reading_segment"));
    }

    private long keyVersionOf(UUID owner, String table) throws Exception {
        return PassFixtures.single(dataSource, "select max(e.key_version) from " + table + " t join seal_epoch e"
                + " on e.owner_id = t.owner_id and e.epoch_id = t.epoch_id where t.owner_id = ?", owner);
    }
}
