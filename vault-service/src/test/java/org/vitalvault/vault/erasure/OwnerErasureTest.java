package org.vitalvault.vault.erasure;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.vitalvault.vault.support.Researchers;
import org.vitalvault.crypto.BatchCipher;
import org.vitalvault.crypto.EpochKey;
import org.vitalvault.crypto.JwsVerifier;
import org.vitalvault.crypto.MasterKey;
import org.vitalvault.crypto.SealBrokenException;
import org.vitalvault.notify.NotifyChannels;
import org.vitalvault.reading.Reading;
import org.vitalvault.reading.ReadingBatchCodec;
import org.vitalvault.vault.auth.SubjectHashes;
import org.vitalvault.vault.refusal.NotFound;
import org.vitalvault.vault.support.ConsentFixtures;
import org.vitalvault.vault.support.SealedRows;
import org.vitalvault.vault.support.Tokens;
import org.vitalvault.vault.support.VaultTestResource;

/**
 * DELETE /owners/{id}: the owner's key material is destroyed, then every row of theirs, and they
 * get a receipt the vault signed — all checked against the real PostgreSQL schema.
 */
@QuarkusTest
class OwnerErasureTest {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    OwnerErasure erasure;

    @Inject
    SubjectHashes subjectHashes;

    private final Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(2, ChronoUnit.HOURS);

    /** A registered owner with two devices, two sealed batches (two epochs) and, optionally, a compacted hour. */
    private record Owner(String subject, String token, UUID id, List<SealedRows.Stored> batches) {
    }

    @Test
    void erasureAnswersAReceiptSignedByTheVaultCountingWhatWasDestroyed() throws Exception {
        Owner alice = ownerWithData(true);
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);

        JsonPath body = given().auth().oauth2(alice.token()).contentType(ContentType.JSON).body(Map.of("confirmOwnerId", alice.id().toString())).delete("/owners/" + alice.id())
                .then().statusCode(200).contentType(ContentType.JSON).extract().jsonPath();

        assertEquals("vitalvault.erasure", body.getString("receipt.type"));
        assertEquals(alice.id().toString(), body.getString("receipt.ownerId"));
        assertEquals(alice.subject(), body.getString("receipt.subject"));
        UUID.fromString(body.getString("receipt.receiptId"));
        Instant erasedAt = Instant.parse(body.getString("receipt.erasedAt"));
        assertFalse(erasedAt.isBefore(before) || erasedAt.isAfter(Instant.now()));
        assertEquals(Map.of("ownerKeys", 1, "sealEpochs", 2, "readingBatches", 2, "segments", 1, "devices", 2,
                        "consentGrants", 1, "coopMemberships", 1, "consentEvents", 2, "ledgerEntries", 1),
                body.getMap("receipt.destroyed"));

        String jwks = given().get("/vault/keys").then().statusCode(200).extract().asString();
        String kid = JsonPath.from(jwks).getString("keys[0].kid");
        assertEquals(kid, body.getString("receipt.vaultKid"));
        byte[] publicKey = Base64.getUrlDecoder().decode(JsonPath.from(jwks).getString("keys[0].x"));

        // Our own verifier: the signed payload is exactly the receipt in the response.
        String jws = body.getString("jws");
        byte[] payload = JwsVerifier.verify(jws, publicKey, ErasureReceipt.JWS_TYPE);
        assertEquals(body.getMap("receipt"), JsonPath.from(new String(payload, StandardCharsets.UTF_8)).getMap(""));
        assertEquals(kid, JwsVerifier.unverifiedHeader(jws).kid());

        // Any JOSE library: jose4j, from the published JWK Set alone.
        JsonWebSignature jose = new JsonWebSignature();
        jose.setAlgorithmConstraints(new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, "EdDSA"));
        jose.setCompactSerialization(jws);
        jose.setKey(((PublicJsonWebKey) new JsonWebKeySet(jwks).findJsonWebKey(kid, "OKP", "sig", "EdDSA")).getPublicKey());
        assertTrue(jose.verifySignature());
        assertEquals(ErasureReceipt.JWS_TYPE, jose.getHeader("typ"));
    }

    @Test
    void aReceiptWithAChangedCountNoLongerVerifies() {
        Owner alice = ownerWithData(false);
        String jws = given().auth().oauth2(alice.token()).contentType(ContentType.JSON).body(Map.of("confirmOwnerId", alice.id().toString())).delete("/owners/" + alice.id())
                .then().statusCode(200).extract().path("jws");
        String[] parts = jws.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                payload.replace("\"readingBatches\":2", "\"readingBatches\":0").getBytes(StandardCharsets.UTF_8))
                + "." + parts[2];
        byte[] publicKey = Base64.getUrlDecoder().decode(given().get("/vault/keys").then().extract().<String>path("keys[0].x"));
        assertTrue(payload.contains("\"readingBatches\":2"));
        assertThrows(JwsVerifier.InvalidJwsException.class,
                () -> JwsVerifier.verify(forged, publicKey));
    }

    @Test
    void afterErasureNoRowInAnyTableHoldsTheOwnerIdOrSubject() throws Exception {
        Owner alice = ownerWithData(true);
        assertTrue(rowsNaming(alice).size() >= 11, "the scan sees the owner's rows before erasure: " + rowsNaming(alice));

        given().auth().oauth2(alice.token()).contentType(ContentType.JSON).body(Map.of("confirmOwnerId", alice.id().toString())).delete("/owners/" + alice.id()).then().statusCode(200);

        assertEquals(Map.of(), rowsNaming(alice), "tables that still name the erased owner");
        given().auth().oauth2(alice.token()).get("/owners/me").then().statusCode(404);
        given().auth().oauth2(alice.token()).get("/owners/" + alice.id() + "/devices").then().statusCode(404);
    }

    @Test
    void withTheWholeDatabaseAndTheKekNothingSealedForTheErasedOwnerOpens() throws Exception {
        Owner alice = ownerWithData(false);
        MasterKey kek = MasterKey.loadOrCreate(VaultTestResource.masterKeyFile());
        SealedRows.Stored batch = alice.batches().get(0);
        assertTrue(openWithEverythingInTheDatabase(kek, batch).isPresent(),
                "before erasure, the database and the KEK open the owner's batch");

        given().auth().oauth2(alice.token()).contentType(ContentType.JSON).body(Map.of("confirmOwnerId", alice.id().toString())).delete("/owners/" + alice.id()).then().statusCode(200);

        assertEquals(Optional.empty(), openWithEverythingInTheDatabase(kek, batch),
                "after erasure, no key in the database opens a copy of the owner's batch");
        assertEquals(0, count("select count(*) from owner_key where owner_id = ?", alice.id()));
    }

    @Test
    void anotherOwnersDataIsUntouched() throws Exception {
        Owner alice = ownerWithData(true);
        Owner bob = ownerWithData(false);
        Map<String, Integer> bobsRows = rowsNaming(bob);
        byte[] bobsWrappedKey = wrappedKey(bob.id());

        given().auth().oauth2(alice.token()).contentType(ContentType.JSON).body(Map.of("confirmOwnerId", alice.id().toString())).delete("/owners/" + alice.id()).then().statusCode(200);

        assertEquals(bobsRows, rowsNaming(bob));
        assertArrayEquals(bobsWrappedKey, wrappedKey(bob.id()));
        given().auth().oauth2(bob.token()).get("/owners/me").then().statusCode(200).body("id", equalTo(bob.id().toString()));
        given().auth().oauth2(bob.token()).get("/owners/" + bob.id() + "/devices").then().statusCode(200)
                .body("size()", equalTo(2));
        List<Float> values = given().auth().oauth2(bob.token())
                .queryParam("metric", "heart_rate").queryParam("from", hour.toString())
                .queryParam("until", hour.plus(1, ChronoUnit.HOURS).toString())
                .get("/owners/" + bob.id() + "/readings").then().statusCode(200).extract().path("readings.value");
        assertEquals(List.of(71.0f, 73.5f), values);
    }

    @Test
    void aSecondErasureAnswers404() {
        Owner alice = ownerWithData(false);
        given().auth().oauth2(alice.token()).contentType(ContentType.JSON).body(Map.of("confirmOwnerId", alice.id().toString())).delete("/owners/" + alice.id()).then().statusCode(200);
        given().auth().oauth2(alice.token()).contentType(ContentType.JSON).body(Map.of("confirmOwnerId", alice.id().toString())).delete("/owners/" + alice.id()).then().statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("https://vitalvault.org/problems/not-found"));
    }

    @Test
    void erasingAnotherOwnersIdAnswers404AndErasesNothing() throws Exception {
        Owner alice = ownerWithData(false);
        Map<String, Integer> rows = rowsNaming(alice);
        String mallory = Tokens.newOwnerToken();
        Tokens.register(mallory);

        given().auth().oauth2(mallory).contentType(ContentType.JSON).body(Map.of("confirmOwnerId", alice.id().toString())).delete("/owners/" + alice.id()).then().statusCode(404)
                .contentType("application/problem+json").body("title", equalTo("Not found"));

        assertEquals(rows, rowsNaming(alice));
        given().auth().oauth2(alice.token()).get("/owners/me").then().statusCode(200);
    }

    @Test
    void anErasureThatLosesTheRaceToAnotherFindsNoOwnerAndAnswers404() {
        Owner alice = ownerWithData(false);
        given().auth().oauth2(alice.token()).contentType(ContentType.JSON).body(Map.of("confirmOwnerId", alice.id().toString())).delete("/owners/" + alice.id()).then().statusCode(200);
        // What the second of two concurrent DELETEs sees once it holds the lock: no owner row.
        NotFound e = assertThrows(NotFound.class, () -> erasure.erase(alice.id(), alice.subject()));
        assertEquals("not-found", e.code());
        Owner bob = ownerWithData(false);
        assertEquals("not-found", assertThrows(NotFound.class, () -> erasure.erase(bob.id(), alice.subject())).code());
        given().auth().oauth2(bob.token()).get("/owners/me").then().statusCode(200);
    }

    @Test
    void onlyAnOwnerTokenMayErase() {
        Owner alice = ownerWithData(false);
        String operator = Tokens.tokenFor("ops-" + UUID.randomUUID(), "operator");
        given().auth().oauth2(operator).contentType(ContentType.JSON).body(Map.of("confirmOwnerId", alice.id().toString())).delete("/owners/" + alice.id()).then().statusCode(403);
        given().contentType(ContentType.JSON).body(Map.of("confirmOwnerId", alice.id().toString())).delete("/owners/" + alice.id()).then().statusCode(401);
        given().auth().oauth2(alice.token()).get("/owners/me").then().statusCode(200);
    }

    @Test
    void gatewaysListeningForUnpairingAreToldToForgetTheErasedOwnersDevices() throws Exception {
        Owner alice = ownerWithData(false);
        List<String> devices = given().auth().oauth2(alice.token()).get("/owners/" + alice.id() + "/devices")
                .then().statusCode(200).extract().path("id");
        Set<String> told = new HashSet<>();
        try (Connection gateway = dataSource.getConnection()) {
            try (Statement st = gateway.createStatement()) {
                st.execute("listen " + NotifyChannels.DEVICE_UNPAIRED);
            }
            given().auth().oauth2(alice.token()).contentType(ContentType.JSON).body(Map.of("confirmOwnerId", alice.id().toString())).delete("/owners/" + alice.id()).then().statusCode(200);
            PGConnection pg = gateway.unwrap(PGConnection.class);
            long deadline = System.currentTimeMillis() + 5_000;
            while (!told.containsAll(devices) && System.currentTimeMillis() < deadline) {
                PGNotification[] notes = pg.getNotifications(200);
                for (PGNotification n : notes == null ? new PGNotification[0] : notes) {
                    told.add(n.getParameter());
                }
            }
        }
        assertEquals(2, devices.size());
        assertTrue(told.containsAll(devices), "notified " + told + ", devices " + devices);
    }

    @Test
    void ownerKeyIsVacuumedAfterTheErasureCommits() throws Exception {
        Owner alice = ownerWithData(false);
        long vacuumsBefore = ownerKeyVacuums();
        given().auth().oauth2(alice.token()).contentType(ContentType.JSON).body(Map.of("confirmOwnerId", alice.id().toString())).delete("/owners/" + alice.id()).then().statusCode(200);
        long deadline = System.currentTimeMillis() + 5_000;
        while (ownerKeyVacuums() == vacuumsBefore && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(ownerKeyVacuums() > vacuumsBefore, "VACUUM owner_key ran after the erasure");
    }

    private Owner ownerWithData(boolean withSegment) {
        String subject = "owner-" + UUID.randomUUID();
        String token = Tokens.tokenFor(subject, "owner");
        UUID id = Tokens.register(token);
        for (String name : List.of("chest strap", "ring")) {
            given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"name\":\"" + name + "\"}")
                    .post("/owners/" + id + "/devices").then().statusCode(201);
        }
        // Consent: a grant, a co-op the owner founded and joined (two consent events), a ledger charge.
        ConsentFixtures.TestOwner me = new ConsentFixtures.TestOwner(subject, token, id);
        ConsentFixtures.grant(me, ConsentFixtures.grantTo(Researchers.registeredOrg().id(), ConsentFixtures.terms()));
        ConsentFixtures.join(me, ConsentFixtures.coop(me, ConsentFixtures.terms()), Map.of()).statusCode(201);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "insert into privacy_ledger (owner_id, lease_id, charged_at, epsilon) values (?, ?, now(), 0.5)")) {
            ps.setObject(1, id);
            ps.setObject(2, UUID.randomUUID());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        UUID device = UUID.randomUUID();
        long t0 = hour.plusSeconds(60).toEpochMilli();
        List<SealedRows.Stored> batches = new ArrayList<>();
        try {
            batches.add(SealedRows.write(dataSource, id, "heart_rate", hour,
                    List.of(new Reading(device, t0, t0 + 5, 71), new Reading(device, t0 + 1000, t0 + 1005, 73.5))));
            batches.add(SealedRows.write(dataSource, id, "spo2", hour, List.of(new Reading(device, t0, t0 + 5, 97))));
            if (withSegment) {
                // A compacted hour as compaction stores it; its content does not matter here, only
                // that erasure finds and counts it. Another hour and metric than the reads above.
                try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                        "insert into reading_segment (owner_id, metric, bucket, epoch_id, reading_count, rollup, points,"
                                + " compacted_at) values (?, 'steps', ?, ?, 1, ?, ?, now())")) {
                    ps.setObject(1, id);
                    ps.setTimestamp(2, Timestamp.from(hour.minus(5, ChronoUnit.HOURS)));
                    ps.setObject(3, batches.get(0).epochId());
                    ps.setBytes(4, new byte[] {1, 2, 3});
                    ps.setBytes(5, new byte[] {4, 5, 6});
                    ps.executeUpdate();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return new Owner(subject, token, id, batches);
    }

    /**
     * Every table and column of the public schema that names the owner: uuid columns holding their
     * id, text columns holding their subject, bytea columns holding its keyed hash (decision 037).
     * Table.column → number of rows.
     */
    private Map<String, Integer> rowsNaming(Owner owner) throws SQLException {
        Map<String, Integer> found = new LinkedHashMap<>();
        Set<String> tablesScanned = new HashSet<>();
        try (Connection c = dataSource.getConnection()) {
            List<String[]> columns = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    select c.table_name, c.column_name, c.data_type from information_schema.columns c
                      join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
                     where c.table_schema = 'public' and t.table_type = 'BASE TABLE'
                       and c.data_type in ('uuid', 'text', 'character varying', 'bytea')
                     order by 1, 2
                    """);
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
                }
            }
            for (String[] col : columns) {
                boolean uuid = col[2].equals("uuid");
                boolean bytea = col[2].equals("bytea");
                tablesScanned.add(col[0]);
                try (PreparedStatement ps = c.prepareStatement("select count(*) from \"" + col[0] + "\" where \""
                        + col[1] + "\"" + (uuid || bytea ? " = ?" : "::text = ?"))) {
                    if (uuid) {
                        ps.setObject(1, owner.id());
                    } else if (bytea) {
                        ps.setBytes(1, subjectHashes.owner(owner.subject()));
                    } else {
                        ps.setString(1, owner.subject());
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        if (rs.getInt(1) > 0) {
                            found.put(col[0] + "." + col[1], rs.getInt(1));
                        }
                    }
                }
            }
        }
        assertTrue(tablesScanned.containsAll(Set.of("owner", "owner_key", "device", "seal_epoch", "reading_batch",
                "reading_segment", "consent_grant", "coop", "coop_membership", "privacy_ledger", "consent_event")),
                "scanned " + tablesScanned);
        return found;
    }

    /**
     * What an attacker holding the whole database and the KEK can do with a copy of a sealed batch:
     * unwrap every owner key row (under its own owner id and under the batch's), re-derive the
     * batch's data key with each, and try to open it.
     */
    private Optional<List<Reading>> openWithEverythingInTheDatabase(MasterKey kek, SealedRows.Stored batch) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select owner_id, key_version, wrapped_private_key from owner_key");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                UUID rowOwner = rs.getObject(1, UUID.class);
                for (UUID asOwner : rowOwner.equals(batch.ownerId()) ? List.of(rowOwner) : List.of(rowOwner, batch.ownerId())) {
                    byte[] privateKey;
                    try {
                        privateKey = kek.unwrap(rs.getBytes(3), asOwner, rs.getInt(2));
                    } catch (SealBrokenException e) {
                        continue;
                    }
                    try {
                        byte[] dataKey = EpochKey.recover(privateKey, batch.enc(), batch.ownerId(), batch.epochId());
                        return Optional.of(ReadingBatchCodec.decode(BatchCipher.open(dataKey, batch.aad(), batch.sealed())));
                    } catch (SealBrokenException e) {
                        // not this key
                    }
                }
            }
        }
        return Optional.empty();
    }

    private byte[] wrappedKey(UUID owner) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select wrapped_private_key from owner_key where owner_id = ?")) {
            ps.setObject(1, owner);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBytes(1);
            }
        }
    }

    private int count(String sql, UUID owner) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, owner);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private long ownerKeyVacuums() throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "select vacuum_count from pg_stat_user_tables where relname = 'owner_key'");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
