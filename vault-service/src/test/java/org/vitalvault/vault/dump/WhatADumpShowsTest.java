package org.vitalvault.vault.dump;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.vitalvault.vault.storage.DestroyRetiredKeys;
import org.vitalvault.vault.support.ConsentFixtures;
import org.vitalvault.vault.support.Researchers;
import org.vitalvault.vault.support.Tokens;

/**
 * What a database dump shows (docs/decisions/037): every row of every table, rendered to text as
 * pg_dump would, holds neither an owner's or organisation's login subject nor a device's name nor
 * the attributes an owner shares, while the owner still signs in, lists and exports their devices by
 * name, reads their attributes, and the organisation still acts. After erasure nothing of the owner's row is left anywhere.
 */
@QuarkusTest
class WhatADumpShowsTest {

    private static final String OWNER_SUBJECT = "alice@example.org";
    private static final String ORG_SUBJECT = "cardio-lab@example.org";
    private static final String DEVICE_NAME = "Grandma's insulin pump";
    /** A region code no other test shares (the pattern allows it), so finding it means finding alice's. */
    private static final String REGION = "ZZ-Q7X";

    @Inject
    AgroalDataSource dataSource;

    @Inject
    DestroyRetiredKeys destroyRetiredKeys;

    @Test
    void aDumpShowsNoSubjectNorDeviceNameAndTheOwnerAndOrganisationStillWork() throws SQLException {
        String alice = Tokens.tokenFor(OWNER_SUBJECT, "owner");
        UUID aliceId = Tokens.register(alice);
        UUID device = pair(alice, aliceId, DEVICE_NAME);
        // a consent change records who made it
        ConsentFixtures.grant(new ConsentFixtures.TestOwner(OWNER_SUBJECT, alice, aliceId),
                ConsentFixtures.grantToPurpose(ConsentFixtures.terms()));
        given().auth().oauth2(alice).contentType(ContentType.JSON)
                .body(Map.of("ageBand", "30-39", "sex", "female", "region", REGION))
                .put("/owners/" + aliceId + "/attributes").then().statusCode(200);
        String orgToken = Tokens.tokenFor(ORG_SUBJECT, "researcher");
        UUID org = registerOrg(orgToken);

        String dump = dump();
        for (String secret : List.of(OWNER_SUBJECT, ORG_SUBJECT, DEVICE_NAME, REGION)) {
            assertFalse(dump.contains(secret), "the dump shows " + secret);
            assertFalse(dump.contains(hex(secret)), "the dump shows " + secret + " as bytes");
        }

        // the owner still signs in, sees and exports the name; the organisation still acts
        assertEquals(aliceId.toString(), given().auth().oauth2(alice).get("/owners/me")
                .then().statusCode(200).extract().path("id"));
        assertEquals(List.of(DEVICE_NAME), given().auth().oauth2(alice).get("/owners/" + aliceId + "/devices")
                .then().statusCode(200).extract().jsonPath().getList("name"));
        String export = given().auth().oauth2(alice).get("/owners/" + aliceId + "/export?format=fhir")
                .then().statusCode(200).extract().asString();
        assertTrue(export.contains(DEVICE_NAME), "the export names the device " + device);
        given().auth().oauth2(alice).post("/owners").then().statusCode(409);
        assertEquals(REGION, given().auth().oauth2(alice).get("/owners/" + aliceId + "/attributes")
                .then().statusCode(200).extract().path("region"));
        given().auth().oauth2(orgToken).get("/researchers/" + org).then().statusCode(200);
        given().auth().oauth2(Tokens.newOwnerToken()).get("/owners/" + aliceId).then().statusCode(404);
        given().auth().oauth2(Tokens.tokenFor("someone-else@example.org", "researcher"))
                .get("/researchers/" + org).then().statusCode(404);

        // erasure: whatever the owner row held (its subject, in whatever form) is nowhere afterwards
        List<String> ownerRow = valuesOfRow("select * from owner where owner_id = ?", aliceId);
        given().auth().oauth2(alice).contentType(ContentType.JSON).body(Map.of("confirmOwnerId", aliceId.toString()))
                .delete("/owners/" + aliceId).then().statusCode(200);
        String after = dump();
        for (String value : ownerRow) {
            assertFalse(after.contains(value), "left after erasure: " + value);
        }
        // and the same subject may register again, as a new owner
        UUID again = Tokens.register(alice);
        assertFalse(again.equals(aliceId));
        given().auth().oauth2(alice).contentType(ContentType.JSON).body(Map.of("confirmOwnerId", again.toString()))
                .delete("/owners/" + again).then().statusCode(200);
    }

    @Test
    void deviceNamesStayReadableAcrossKeyRotationsAndTheRetiredKeysDestruction() throws SQLException {
        String token = Tokens.newOwnerToken();
        UUID owner = Tokens.register(token);
        pair(token, owner, "chest strap");
        pair(token, owner, "Omas Blutdruckmessgerät");
        given().auth().oauth2(token).post("/owners/" + owner + "/keys/rotate").then().statusCode(200);
        pair(token, owner, "thermometer");
        given().auth().oauth2(token).post("/owners/" + owner + "/keys/rotate").then().statusCode(200);
        destroyRetiredKeys.run(Instant.now().plusSeconds(1), Duration.ZERO);

        assertEquals(List.of("chest strap", "Omas Blutdruckmessgerät", "thermometer"),
                given().auth().oauth2(token).get("/owners/" + owner + "/devices")
                        .then().statusCode(200).extract().jsonPath().getList("name"));
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select distinct name_key_version from device where owner_id = ?")) {
            ps.setObject(1, owner);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertEquals(3, rs.getInt(1), "every name sealed to the current key");
                assertFalse(rs.next());
            }
        }
    }

    static UUID pair(String token, UUID owner, String name) {
        return UUID.fromString(given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("name", name))
                .post("/owners/" + owner + "/devices").then().statusCode(201).extract().path("id"));
    }

    static UUID registerOrg(String token) {
        KeyPair keys = Researchers.newKeyPair();
        Map<String, Object> jwk = Map.of("kty", "OKP", "crv", "Ed25519", "x",
                Base64.getUrlEncoder().withoutPadding().encodeToString(Researchers.rawPublicKey(keys)));
        return UUID.fromString(given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("name", "Cardio Lab", "publicKey", jwk))
                .post("/researchers").then().statusCode(201).extract().path("id"));
    }

    private static String hex(String s) {
        return HexFormat.of().formatHex(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Every non-null value of one row (other than its uuid and time columns), as {@link #dump} renders it. */
    private List<String> valuesOfRow(String sql, UUID id) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                ResultSetMetaData md = rs.getMetaData();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    Object v = rs.getObject(i);
                    if (v instanceof byte[] || v instanceof String) {
                        values.add(render(v));
                    }
                }
            }
        }
        assertFalse(values.isEmpty());
        return values;
    }

    /**
     * Like pg_dump: {@code select *} from every table of every non-system schema, every column
     * rendered to text; bytea as lower-case hex and also as its raw bytes read as Latin-1, so text
     * stored as bytes is found either way.
     */
    String dump() throws SQLException {
        StringBuilder out = new StringBuilder();
        try (Connection c = dataSource.getConnection()) {
            List<String> tables = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    select quote_ident(table_schema) || '.' || quote_ident(table_name) from information_schema.tables
                     where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')
                     order by 1
                    """);
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            assertTrue(tables.containsAll(List.of("public.owner", "public.device", "public.researcher_org",
                    "public.consent_event", "public.owner_shared_attributes")), "tables " + tables);
            for (String table : tables) {
                try (PreparedStatement ps = c.prepareStatement("select * from " + table); ResultSet rs = ps.executeQuery()) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        out.append(table).append(':');
                        for (int i = 1; i <= columns; i++) {
                            out.append('\t').append(render(rs.getObject(i)));
                        }
                        out.append('\n');
                    }
                }
            }
        }
        return out.toString();
    }

    private static String render(Object value) throws SQLException {
        if (value instanceof byte[] bytes) {
            return HexFormat.of().formatHex(bytes) + " " + new String(bytes, StandardCharsets.ISO_8859_1);
        }
        if (value instanceof java.sql.Array array) {
            return String.valueOf(array);
        }
        return String.valueOf(value);
    }
}
