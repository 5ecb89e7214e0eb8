package org.vitalvault.vault.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vitalvault.vault.storage.PassFixtures.oneHertz;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.vitalvault.vault.keys.OwnerKeyring;
import org.vitalvault.vault.support.GatewayWrites;
import org.vitalvault.vault.support.Tokens;

/** The KEK pass alone: a vault epoch whose wrapped data key was dropped gets it back under the current KEK. */
@QuarkusTest
class RewrapEpochKeysTest {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    CompactHours compactHours;

    @Inject
    RewrapEpochKeys rewrap;

    @Inject
    OwnerKeyring keyring;

    @Test
    void aDroppedVaultEpochKeyIsWrappedAgainUnderTheCurrentKek() throws Exception {
        UUID owner = Tokens.register(Tokens.newOwnerToken());
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(4, ChronoUnit.HOURS);
        GatewayWrites.writeSealed(dataSource, owner, "heart_rate", hour, oneHertz(UUID.randomUUID(), hour, 5));
        compactHours.ofOwner(owner, 10, Instant.now());
        // As a KEK rotation leaves it (KekRotation drops vault epoch keys not under the new KEK).
        assertEquals(1, PassFixtures.update(dataSource,
                "update vault_epoch set wrapped_data_key = null, kek_id = null where owner_id = ?", owner));

        while (rewrap.run(1000, Instant.now()) > 0) {
            // other tests' owners may be waiting too
        }

        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select kek_id, wrapped_data_key is not null from vault_epoch where owner_id = ?")) {
            ps.setObject(1, owner);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertEquals(keyring.kekId(), rs.getString(1));
                assertTrue(rs.getBoolean(2));
            }
        }
        assertEquals(0, rewrap.run(1000, Instant.now()), "nothing left to wrap");
    }
}
