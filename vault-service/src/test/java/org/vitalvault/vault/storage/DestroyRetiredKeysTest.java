package org.vitalvault.vault.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.vitalvault.vault.storage.PassFixtures.oneHertz;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.vitalvault.vault.keys.OwnerKeyring;
import org.vitalvault.vault.support.GatewayWrites;
import org.vitalvault.vault.support.Tokens;

/** The key pass alone: a retired key pair goes once its grace is over and no epoch needs it, not before. */
@QuarkusTest
class DestroyRetiredKeysTest {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    OwnerKeyring keyring;

    @Inject
    DestroyRetiredKeys destroyRetiredKeys;

    @Test
    void aRetiredKeyNothingNeedsIsDestroyedAfterItsGrace() throws Exception {
        UUID owner = Tokens.register(Tokens.newOwnerToken());
        PassFixtures.rotate(dataSource, keyring, owner);

        destroyRetiredKeys.run(Instant.now(), Duration.ofDays(2));
        assertEquals(2, keyCount(owner), "within its grace the retired key stays (gateways may still seal to it)");

        destroyRetiredKeys.run(Instant.now().plusSeconds(1), Duration.ZERO);
        assertEquals(1, keyCount(owner));
        assertEquals(2, PassFixtures.single(dataSource, "select key_version from owner_key where owner_id = ?", owner),
                "the current key stays");
    }

    @Test
    void aRetiredKeyAnEpochStillNeedsIsKept() throws Exception {
        UUID owner = Tokens.register(Tokens.newOwnerToken());
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(2, ChronoUnit.HOURS);
        GatewayWrites.writeSealed(dataSource, owner, "heart_rate", hour, oneHertz(UUID.randomUUID(), hour, 5));
        PassFixtures.rotate(dataSource, keyring, owner);

        destroyRetiredKeys.run(Instant.now().plusSeconds(1), Duration.ZERO);

        assertEquals(2, keyCount(owner), "the pending batch's epoch was sealed to version 1");
    }

    private long keyCount(UUID owner) throws Exception {
        return PassFixtures.count(dataSource, "owner_key", owner);
    }
}
