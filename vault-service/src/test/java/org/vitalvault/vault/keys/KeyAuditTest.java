package org.vitalvault.vault.keys;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.vitalvault.crypto.MasterKey;
import org.vitalvault.reading.Reading;
import org.vitalvault.vault.storage.CompactionJob;
import org.vitalvault.vault.storage.RewrapEpochKeys;
import org.vitalvault.vault.support.AuditChains;
import org.vitalvault.vault.support.AuditEntries;
import org.vitalvault.vault.support.FailAtCommit;
import org.vitalvault.vault.support.GatewayWrites;
import org.vitalvault.vault.support.Tokens;

/**
 * Key events in the transparency log (issue 17): an owner's key rotation is one entry in their
 * chain; each step of a KEK rotation that changed rows is one deployment entry in that step's
 * transaction (counts and kek ids, no owner); a compaction pass that wrapped vault epoch keys again
 * is one deployment entry, however many owners it covered. Failed commits leave nothing.
 */
@QuarkusTest
class KeyAuditTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    AgroalDataSource dataSource;

    @Inject
    AuditChains chains;

    @Inject
    AuditEntries entries;

    @Inject
    MasterKey current;

    @Inject
    KekRotation rotation;

    @Inject
    CompactionJob compactor;

    @Inject
    RewrapEpochKeys rewrapEpochKeys;

    @Test
    void anOwnerKeyRotationAppendsExactlyOneEntryWithTheNewVersion() {
        String token = Tokens.newOwnerToken();
        UUID owner = Tokens.register(token);
        given().auth().oauth2(token).post("/owners/" + owner + "/keys/rotate").then().statusCode(200)
                .body("version", equalTo(2));
        List<JsonNode> chain = chains.verified(owner);
        assertEquals(List.of("OWNER_KEY_ROTATED"), chain.stream().map(e -> e.get("kind").asText()).toList());
        assertEquals(2, chain.get(0).get("details").get("keyVersion").asInt());
        assertEquals(1, chain.get(0).get("details").size(), "the version only: no key material");
    }

    @Test
    void anOwnerKeyRotationWhoseCommitFailsLeavesNoNewKeyAndNoEntry() {
        String token = Tokens.newOwnerToken();
        UUID owner = Tokens.register(token);
        long mark = chains.mark();
        try (FailAtCommit failing = FailAtCommit.forOwnerEntry(dataSource, owner)) {
            given().auth().oauth2(token).post("/owners/" + owner + "/keys/rotate").then().statusCode(500);
        }
        assertEquals(0, chains.since(mark));
        given().auth().oauth2(token).get("/owners/" + owner + "/keys").then().statusCode(200).body("size()", equalTo(1));
    }

    @Test
    void eachKekRotationBatchThatChangedKeysIsOneDeploymentEntryNamingNoOwner() throws Exception {
        MasterKey old = randomKek();
        UUID alice = Tokens.register(Tokens.newOwnerToken());
        UUID bob = Tokens.register(Tokens.newOwnerToken());
        moveUnder(alice, current, old);
        moveUnder(bob, current, old);
        long mark = chains.mark();

        assertEquals(2, rotation.rewrap(current, Optional.of(old), 1).rewrapped());
        assertEquals(0, rotation.rewrap(current, Optional.of(old), 1).rewrapped());

        List<AuditEntries.Entry> logged = after(mark, "KEK_ROTATED");
        assertEquals(2, logged.size(), "one per batch of one key; a run that changed nothing adds none");
        for (AuditEntries.Entry e : logged) {
            JsonNode d = e.details();
            assertEquals("owner-keys-rewrapped", d.get("step").asText());
            assertEquals(old.kekId(), d.get("fromKekId").asText());
            assertEquals(current.kekId(), d.get("toKekId").asText());
            assertEquals(1, d.get("count").asInt());
            assertFalse(e.json().has("owner"));
            assertFalse(e.json().toString().contains(alice.toString()) || e.json().toString().contains(bob.toString()));
        }
    }

    @Test
    void aKekRotationBatchWhoseCommitFailsLeavesTheKeyAndTheLogAsTheyWere() throws Exception {
        MasterKey old = randomKek();
        UUID alice = Tokens.register(Tokens.newOwnerToken());
        moveUnder(alice, current, old);
        long mark = chains.mark();
        try (FailAtCommit failing = FailAtCommit.forDeploymentEntry(dataSource, "KEK_ROTATED")) {
            assertThrows(RuntimeException.class, () -> rotation.rewrap(current, Optional.of(old), 10));
        } finally {
            assertEquals(0, chains.since(mark));
            assertEquals(old.kekId(), kekId(alice), "the batch rolled back with its entry");
            rotation.rewrap(current, Optional.of(old), 10);
        }
        assertEquals(current.kekId(), kekId(alice));
    }

    @Test
    void aCompactionPassThatWrapsEpochKeysAgainIsOneEntryForAllItsOwners() throws Exception {
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(4, ChronoUnit.HOURS);
        List<UUID> owners = List.of(Tokens.register(Tokens.newOwnerToken()), Tokens.register(Tokens.newOwnerToken()));
        for (UUID owner : owners) {
            long t = hour.plusSeconds(10).toEpochMilli();
            GatewayWrites.writeSealed(dataSource, owner, "heart_rate", hour, List.of(new Reading(UUID.randomUUID(), t, t + 5, 70)));
            compactor.compactOwner(owner, 10);
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "update vault_epoch set wrapped_data_key = null, kek_id = null where owner_id = ?")) {
                ps.setObject(1, owner);
                assertEquals(1, ps.executeUpdate());
            }
        }
        long mark = chains.mark();
        int wrapped = rewrapEpochKeys.run(1000, Instant.now());
        assertEquals(0, rewrapEpochKeys.run(1000, Instant.now()));

        List<AuditEntries.Entry> logged = after(mark, "EPOCH_KEYS_REWRAPPED");
        assertEquals(1, logged.size(), "one entry per pass that changed something, not one per owner");
        assertEquals(wrapped, logged.get(0).details().get("owners").asInt());
        assertEquals(current.kekId(), logged.get(0).details().get("kekId").asText());
        for (UUID owner : owners) {
            assertFalse(logged.get(0).json().toString().contains(owner.toString()));
        }
    }

    private List<AuditEntries.Entry> after(long mark, String kind) {
        return entries.deployment(kind).stream().filter(e -> e.entryId() > mark).toList();
    }

    /** Re-wraps an owner's key rows from one KEK to another, as that KEK would have written them. */
    private void moveUnder(UUID owner, MasterKey from, MasterKey to) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement select = c.prepareStatement(
                     "select key_version, wrapped_private_key from owner_key where owner_id = ?");
             PreparedStatement update = c.prepareStatement(
                     "update owner_key set wrapped_private_key = ?, kek_id = ? where owner_id = ? and key_version = ?")) {
            select.setObject(1, owner);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    byte[] privateKey = from.unwrap(rs.getBytes(2), owner, rs.getInt(1));
                    update.setBytes(1, to.wrap(privateKey, owner, rs.getInt(1)));
                    Arrays.fill(privateKey, (byte) 0);
                    update.setString(2, to.kekId());
                    update.setObject(3, owner);
                    update.setInt(4, rs.getInt(1));
                    update.executeUpdate();
                }
            }
        }
    }

    private String kekId(UUID owner) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select kek_id from owner_key where owner_id = ?")) {
            ps.setObject(1, owner);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private static MasterKey randomKek() {
        byte[] raw = new byte[MasterKey.KEY_LENGTH];
        RANDOM.nextBytes(raw);
        return MasterKey.of(raw);
    }
}
