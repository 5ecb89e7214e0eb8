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
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.vitalvault.vault.support.GatewayWrites;
import org.vitalvault.vault.support.Tokens;

/** The epoch pass alone: epochs nothing refers to go after their grace; referenced ones and the vault epoch stay. */
@QuarkusTest
class CollectEpochsTest {

    private static final Duration LONG = Duration.ofDays(2);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    CompactHours compactHours;

    @Inject
    CollectEpochs collectEpochs;

    private final Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(6, ChronoUnit.HOURS);

    @Test
    void theGatewaysEpochGoesOnceCompactionConsumedItsBatchesAndItsGraceIsOver() throws Exception {
        UUID owner = Tokens.register(Tokens.newOwnerToken());
        GatewayWrites.writeSealed(dataSource, owner, "heart_rate", hour, oneHertz(UUID.randomUUID(), hour, 5));
        compactHours.ofOwner(owner, 10, Instant.now());
        assertEquals(2, count(dataSource, "seal_epoch", owner), "the gateway's epoch and the vault's");

        collectEpochs.run(Instant.now(), LONG, LONG);
        assertEquals(2, count(dataSource, "seal_epoch", owner), "within its grace an unreferenced epoch stays");

        collectEpochs.run(Instant.now().plusSeconds(1), Duration.ZERO, LONG);
        assertEquals(1, count(dataSource, "seal_epoch", owner));
        assertEquals(1, PassFixtures.single(dataSource, "select count(*) from seal_epoch e join vault_epoch v"
                + " on v.owner_id = e.owner_id and v.epoch_id = e.epoch_id where e.owner_id = ?", owner),
                "what stays is the vault epoch the hour is sealed under");
    }

    @Test
    void anEpochPendingBatchesStillUseIsKept() throws Exception {
        UUID owner = Tokens.register(Tokens.newOwnerToken());
        GatewayWrites.writeSealed(dataSource, owner, "heart_rate", hour, oneHertz(UUID.randomUUID(), hour, 5));

        collectEpochs.run(Instant.now().plusSeconds(1), Duration.ZERO, Duration.ZERO);

        assertEquals(1, count(dataSource, "seal_epoch", owner));
    }
}
