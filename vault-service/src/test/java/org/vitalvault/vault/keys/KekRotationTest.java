package org.vitalvault.vault.keys;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.vitalvault.crypto.MasterKey;
import org.vitalvault.crypto.SealBrokenException;
import org.vitalvault.reading.Reading;
import org.vitalvault.vault.auth.SubjectHashes;
import org.vitalvault.vault.storage.CompactionJob;
import org.vitalvault.vault.support.SealedRows;
import org.vitalvault.vault.support.Tokens;

/**
 * KEK rotation on the real schema. The test boot has one KEK; rows "from before the rotation" are
 * made by re-wrapping an owner's key under another KEK, exactly what the old KEK had written.
 */
@QuarkusTest
class KekRotationTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    AgroalDataSource dataSource;

    @Inject
    MasterKey current;

    @Inject
    KekRotation rotation;

    @Inject
    CompactionJob compactor;

    private final Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(3, ChronoUnit.HOURS);

    @Test
    void afterRotationEveryOwnersReadingsRemainReadableAndTheOldKekUnwrapsNothing() throws Exception {
        MasterKey old = randomKek();
        String aliceToken = Tokens.newOwnerToken();
        UUID alice = Tokens.register(aliceToken);
        String bobToken = Tokens.newOwnerToken();
        UUID bob = Tokens.register(bobToken);
        UUID device = UUID.randomUUID();
        long t0 = hour.plusSeconds(30).toEpochMilli();
        SealedRows.write(dataSource, alice, "heart_rate", hour, List.of(new Reading(device, t0, t0 + 4, 66)));
        SealedRows.write(dataSource, bob, "heart_rate", hour, List.of(new Reading(device, t0, t0 + 4, 88)));
        byte[] sealedBefore = sealedBatches();
        moveUnder(alice, current, old);
        moveUnder(bob, current, old);
        assertThrows(SealBrokenException.class, () -> current.unwrap(wrappedKey(alice), alice, 1),
                "before the rotation the current KEK cannot open the old rows");

        KekRotation.Report report = rotation.rewrap(current, Optional.of(old), 1);

        assertEquals(2, report.rewrapped());
        assertEquals(0, report.remaining());
        assertEquals(current.kekId(), report.kekId());
        assertEquals(old.kekId(), report.previousKekId());
        assertEquals(List.of(66.0f), readHeartRate(aliceToken, alice));
        assertEquals(List.of(88.0f), readHeartRate(bobToken, bob));
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select owner_id, key_version, wrapped_private_key, kek_id from owner_key");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                UUID owner = rs.getObject(1, UUID.class);
                int version = rs.getInt(2);
                byte[] wrapped = rs.getBytes(3);
                assertThrows(SealBrokenException.class, () -> old.unwrap(wrapped, owner, version));
                assertEquals(current.kekId(), rs.getString(4));
            }
        }
        assertArrayEquals(sealedBefore, sealedBatches(), "sealed data is never touched");
    }

    @Test
    void vaultEpochKeysWrappedByTheOldKekAreDroppedAndCompactionWrapsThemAgain() throws Exception {
        MasterKey old = randomKek();
        String token = Tokens.newOwnerToken();
        UUID owner = Tokens.register(token);
        long t0 = hour.plusSeconds(30).toEpochMilli();
        SealedRows.write(dataSource, owner, "heart_rate", hour, List.of(new Reading(UUID.randomUUID(), t0, t0 + 4, 71)));
        compactor.compactOwner(owner, 10);
        // As if the owner's keys had been wrapped by the old KEK all along.
        moveUnder(owner, current, old);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "update vault_epoch set wrapped_data_key = ?, kek_id = ? where owner_id = ?")) {
            UUID epoch = single("select epoch_id from vault_epoch where owner_id = ?", owner, (rs, i) -> rs.getObject(i, UUID.class));
            ps.setBytes(1, old.wrapEpochKey(new byte[16], owner, epoch));
            ps.setString(2, old.kekId());
            ps.setObject(3, owner);
            ps.executeUpdate();
        }

        rotation.rewrap(current, Optional.of(old), 10);

        String kekAfterRotation = single("select kek_id from vault_epoch where owner_id = ?", owner, ResultSet::getString);
        assertEquals(null, kekAfterRotation, "nothing the old KEK wrapped is left");
        assertEquals(List.of(71.0f), readHeartRate(token, owner), "reads fall back to the owner's key");
        compactor.compact(100, Duration.ofDays(2), Duration.ofDays(2));
        assertEquals(current.kekId(), single("select kek_id from vault_epoch where owner_id = ?", owner, ResultSet::getString),
                "compaction wrapped the vault epoch's key under the current KEK");
        assertEquals(List.of(71.0f), readHeartRate(token, owner));
    }

    @Test
    void keysAlreadyUnderTheCurrentKekAreLeftAloneAndASecondRunDoesNothing() throws Exception {
        MasterKey old = randomKek();
        UUID untouched = Tokens.register(Tokens.newOwnerToken());
        UUID rotated = Tokens.register(Tokens.newOwnerToken());
        byte[] untouchedBefore = wrappedKey(untouched);
        moveUnder(rotated, current, old);

        KekRotation.Report first = rotation.rewrap(current, Optional.of(old), 10);
        byte[] rotatedAfterFirst = wrappedKey(rotated);
        KekRotation.Report second = rotation.rewrap(current, Optional.of(old), 10);

        assertEquals(1, first.rewrapped());
        assertTrue(first.alreadyCurrent() >= 1);
        assertEquals(0, second.rewrapped());
        assertArrayEquals(untouchedBefore, wrappedKey(untouched), "a key on the current KEK is not rewritten");
        assertArrayEquals(rotatedAfterFirst, wrappedKey(rotated), "a rotated key is not rewritten again");
        assertEquals(current.kekId(), kekId(rotated));
    }

    @Test
    void aKeyUnderAnUnknownKekIsAClearErrorAndNothingChanges() throws Exception {
        MasterKey old = randomKek();
        MasterKey unknown = randomKek();
        UUID lost = Tokens.register(Tokens.newOwnerToken());
        UUID pending = Tokens.register(Tokens.newOwnerToken());
        moveUnder(lost, current, unknown);
        moveUnder(pending, current, old);
        byte[] lostBefore = wrappedKey(lost);
        byte[] pendingBefore = wrappedKey(pending);
        try {
            KekRotation.UnknownKekException e = assertThrows(KekRotation.UnknownKekException.class,
                    () -> rotation.rewrap(current, Optional.of(old), 1));
            assertTrue(e.getMessage().contains("KEK " + unknown.kekId() + " (1)"), e.getMessage());
            assertTrue(e.getMessage().contains("nothing was changed"), e.getMessage());
            assertArrayEquals(lostBefore, wrappedKey(lost));
            assertArrayEquals(pendingBefore, wrappedKey(pending));
            assertEquals(unknown.kekId(), kekId(lost));
            assertEquals(old.kekId(), kekId(pending), "not even the rows the previous KEK could re-wrap");

            // The operator endpoint (this boot has no previous KEK configured) says the same, as a problem.
            given().auth().oauth2(Tokens.tokenFor("ops-" + UUID.randomUUID(), "operator"))
                    .post("/operator/kek/rewrap").then().statusCode(409)
                    .contentType("application/problem+json")
                    .body("type", equalTo("https://vitalvault.org/problems/kek-unknown"))
                    .body("detail", containsString(unknown.kekId()))
                    .body("detail", containsString(old.kekId()));
        } finally {
            moveUnder(lost, unknown, current);
            moveUnder(pending, old, current);
        }
    }

    @Test
    void theSubjectKeyIsRewrappedNotRehashedAndAThirdKekRefusesTheRotation() throws Exception {
        String token = Tokens.newOwnerToken();
        UUID owner = Tokens.register(token);
        byte[] subjectKey = current.unwrapSecret(subjectKeyRow(), SubjectHashes.KEY_NAME);
        MasterKey old = randomKek();
        setSubjectKeyRow(randomKek().wrapSecret(subjectKey, SubjectHashes.KEY_NAME), "deadbeef");
        try {
            KekRotation.UnknownKekException e = assertThrows(KekRotation.UnknownKekException.class,
                    () -> rotation.rewrap(current, Optional.of(old), 10));
            assertTrue(e.getMessage().contains("vault secret subject-hmac"), e.getMessage());
        } finally {
            setSubjectKeyRow(old.wrapSecret(subjectKey, SubjectHashes.KEY_NAME), old.kekId());
        }

        rotation.rewrap(current, Optional.of(old), 10);

        assertArrayEquals(subjectKey, current.unwrapSecret(subjectKeyRow(), SubjectHashes.KEY_NAME));
        assertEquals(current.kekId(), single("select kek_id from vault_secret where name = 'subject-hmac' and ? is not null",
                owner, ResultSet::getString));
        given().auth().oauth2(token).get("/owners/me").then().statusCode(200).body("id", equalTo(owner.toString()));
    }

    private byte[] subjectKeyRow() throws SQLException {
        return single("select wrapped from vault_secret where name = 'subject-hmac' and ? is not null",
                UUID.randomUUID(), ResultSet::getBytes);
    }

    private void setSubjectKeyRow(byte[] wrapped, String kekId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "update vault_secret set wrapped = ?, kek_id = ? where name = 'subject-hmac'")) {
            ps.setBytes(1, wrapped);
            ps.setString(2, kekId);
            assertEquals(1, ps.executeUpdate());
        }
    }

    @Test
    void theOperatorEndpointAnswersCountsOnlyAndOnlyToOperators() {
        Tokens.register(Tokens.newOwnerToken());
        Map<String, Object> report = given().auth().oauth2(Tokens.tokenFor("ops-" + UUID.randomUUID(), "operator"))
                .post("/operator/kek/rewrap").then().statusCode(200)
                .body("kekId", equalTo(current.kekId())).body("rewrapped", equalTo(0)).body("remaining", equalTo(0))
                .extract().jsonPath().getMap("");
        assertEquals(Set.of("kekId", "previousKekId", "rewrapped", "alreadyCurrent", "remaining"), report.keySet());
        given().auth().oauth2(Tokens.newOwnerToken()).post("/operator/kek/rewrap").then().statusCode(403);
        given().post("/operator/kek/rewrap").then().statusCode(401);
    }

    private List<Float> readHeartRate(String token, UUID owner) {
        return given().auth().oauth2(token).queryParam("metric", "heart_rate").queryParam("from", hour.toString())
                .queryParam("until", hour.plus(1, ChronoUnit.HOURS).toString())
                .get("/owners/" + owner + "/readings").then().statusCode(200).extract().path("readings.value");
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

    private byte[] wrappedKey(UUID owner) throws SQLException {
        return single("select wrapped_private_key from owner_key where owner_id = ?", owner, ResultSet::getBytes);
    }

    private String kekId(UUID owner) throws SQLException {
        return single("select kek_id from owner_key where owner_id = ?", owner, ResultSet::getString);
    }

    /** Every sealed batch's bytes, concatenated in a fixed order. */
    private byte[] sealedBatches() throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "select string_agg(sealed, ''::bytea order by owner_id, metric, bucket, batch_id) from reading_batch");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getBytes(1);
        }
    }

    private interface Column<T> {
        T get(ResultSet rs, int index) throws SQLException;
    }

    private <T> T single(String sql, UUID owner, Column<T> column) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, owner);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                return column.get(rs, 1);
            }
        }
    }

    private static MasterKey randomKek() {
        byte[] raw = new byte[MasterKey.KEY_LENGTH];
        RANDOM.nextBytes(raw);
        return MasterKey.of(raw);
    }
}
