package org.vitalvault.vault.dump;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.vitalvault.vault.auth.SubjectHashes;
import org.vitalvault.vault.support.ConsentFixtures;
import org.vitalvault.vault.support.Tokens;
import org.vitalvault.vault.upgrade.PlaintextBackfill;

/**
 * Upgrading a database written before V14: its rows hold plaintext subjects, consent actors and
 * device names. They keep working as they are, and the start-up backfill hashes and seals them,
 * nulls the plaintext, and changes nothing on a second run.
 */
@QuarkusTest
class PlaintextBackfillTest {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    PlaintextBackfill backfill;

    @Inject
    SubjectHashes hashes;

    @Test
    void rowsFromBeforeV14WorkAsTheyAreAndTheBackfillHashesAndSealsThem() throws SQLException {
        String subject = "legacy-" + UUID.randomUUID() + "@example.org";
        String token = Tokens.tokenFor(subject, "owner");
        UUID owner = Tokens.register(token);
        UUID device = WhatADumpShowsTest.pair(token, owner, "placeholder");
        ConsentFixtures.grant(new ConsentFixtures.TestOwner(subject, token, owner),
                ConsentFixtures.grantToPurpose(ConsentFixtures.terms()));
        String orgSubject = "legacy-lab-" + UUID.randomUUID();
        String orgToken = Tokens.tokenFor(orgSubject, "researcher");
        UUID org = WhatADumpShowsTest.registerOrg(orgToken);
        // Make them what the code before V14 wrote: plaintext only.
        try (Connection c = dataSource.getConnection()) {
            exec(c, "update owner set subject = ?, subject_hash = null where owner_id = ?", subject, owner);
            exec(c, "update researcher_org set subject = ?, subject_hash = null where org_id = ?", orgSubject, org);
            exec(c, "update device set name = ?, name_sealed = null, name_key_version = null where device_id = ?",
                    "Old pump", device);
            exec(c, """
                    insert into owner_shared_attributes (owner_id, age_band, sex, region, updated_at)
                    values (?, 'AGE_30_39', 'FEMALE', 'DE-BY', now())
                    """, owner);
            // consent_event is append-only: write the old row as the old code did, as a new one
            exec(c, """
                    insert into consent_event (owner_id, receipt_id, action, consent_id, actor, occurred_at, jws)
                    select owner_id, ?, action, consent_id, ?, occurred_at, jws from consent_event where owner_id = ? limit 1
                    """, UUID.randomUUID(), subject, owner);
        }

        // they work as they are
        assertEquals(owner.toString(), given().auth().oauth2(token).get("/owners/me").then().statusCode(200).extract().path("id"));
        assertEquals(List.of("Old pump"), given().auth().oauth2(token).get("/owners/" + owner + "/devices")
                .then().statusCode(200).extract().jsonPath().getList("name"));
        given().auth().oauth2(orgToken).get("/researchers/" + org).then().statusCode(200);
        given().auth().oauth2(token).post("/owners").then().statusCode(409);
        assertEquals("DE-BY", given().auth().oauth2(token).get("/owners/" + owner + "/attributes")
                .then().statusCode(200).extract().path("region"));

        PlaintextBackfill.Report first = backfill.run();
        assertTrue(first.ownerSubjects() >= 1 && first.organisationSubjects() >= 1 && first.consentActors() >= 1
                && first.deviceNames() >= 1 && first.sharedAttributes() >= 1, first.toString());

        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            for (String left : List.of("select count(*) from owner where subject is not null",
                    "select count(*) from researcher_org where subject is not null",
                    "select count(*) from consent_event where actor is not null",
                    "select count(*) from device where name is not null",
                    "select count(*) from owner_shared_attributes where sealed is null or region is not null")) {
                try (ResultSet rs = st.executeQuery(left)) {
                    rs.next();
                    assertEquals(0, rs.getInt(1), left);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("select subject_hash from owner where owner_id = ?")) {
                ps.setObject(1, owner);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertArrayEquals(hashes.owner(subject), rs.getBytes(1));
                }
            }
        }
        assertEquals(owner.toString(), given().auth().oauth2(token).get("/owners/me").then().statusCode(200).extract().path("id"));
        assertEquals(List.of("Old pump"), given().auth().oauth2(token).get("/owners/" + owner + "/devices")
                .then().statusCode(200).extract().jsonPath().getList("name"));
        given().auth().oauth2(orgToken).get("/researchers/" + org).then().statusCode(200);
        assertEquals(List.of(subject), given().auth().oauth2(token).get("/owners/" + owner + "/consent-events")
                .then().statusCode(200).extract().jsonPath().getList("actor").stream().distinct().toList());

        assertEquals("DE-BY", given().auth().oauth2(token).get("/owners/" + owner + "/attributes")
                .then().statusCode(200).extract().path("region"));

        assertEquals(new PlaintextBackfill.Report(0, 0, 0, 0, 0), backfill.run(), "a second run finds nothing");
    }

    @Test
    void consentEventsStayAppendOnlyApartFromTheBackfillsOneChange() throws SQLException {
        ConsentFixtures.TestOwner owner = ConsentFixtures.newOwner();
        ConsentFixtures.grant(owner, ConsentFixtures.grantToPurpose(ConsentFixtures.terms()));
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("select set_config('vitalvault.hashing_actors', 'on', true)");
                assertThrowsSql(() -> exec(c, "update consent_event set jws = 'x' where owner_id = ?", owner.id()));
            } finally {
                c.rollback();
            }
            try {
                // without the transaction saying so, not even the backfill's change
                assertThrowsSql(() -> exec(c, "update consent_event set actor = 'x', actor_hash = null where owner_id = ?",
                        owner.id()));
            } finally {
                c.rollback();
            }
        }
    }

    private interface SqlRun {
        void run() throws SQLException;
    }

    private static void assertThrowsSql(SqlRun run) {
        try {
            run.run();
        } catch (SQLException e) {
            assertTrue(e.getMessage().contains("append-only"), e.getMessage());
            return;
        }
        throw new AssertionError("the update was allowed");
    }

    private static void exec(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.executeUpdate();
        }
    }
}
