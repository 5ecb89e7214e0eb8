package org.vitalvault.vault.notify;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.vitalvault.vault.support.ConsentFixtures;
import org.vitalvault.vault.support.ConsentFixtures.TestOwner;
import org.vitalvault.vault.support.Tokens;

/**
 * GET/POST /owners/{id}/notifications: the owner's feed, newest first, with an unread filter, paging,
 * an unread count and "mark read up to". Attacks first: another owner's feed is 404 and stays unread;
 * a notice id of another owner marks nothing; nothing of a text is readable in the table.
 */
@QuarkusTest
class NotificationResourceTest {

    @Inject
    OwnerNotices notices;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void anotherOwnersFeedCountAndMarkingAre404LikeAnUnknownOwnerAndLeaveItUnread() {
        TestOwner alice = ConsentFixtures.newOwner();
        TestOwner mallory = ConsentFixtures.newOwner();
        post(alice, "Sam (nurse) read your heart rate.", "Your key was rotated.");
        for (UUID target : List.of(alice.id(), UUID.randomUUID())) {
            given().auth().oauth2(mallory.token()).get("/owners/" + target + "/notifications").then().statusCode(404)
                    .contentType("application/problem+json").body("type", equalTo("https://vitalvault.org/problems/not-found"));
            given().auth().oauth2(mallory.token()).get("/owners/" + target + "/notifications/unread").then().statusCode(404)
                    .contentType("application/problem+json");
            given().auth().oauth2(mallory.token()).contentType(ContentType.JSON).body("{\"upTo\":9223372036854775807}")
                    .post("/owners/" + target + "/notifications/read").then().statusCode(404)
                    .contentType("application/problem+json");
        }
        unread(alice).body("count", equalTo(2));
    }

    @Test
    void markingReadWithAnotherOwnersNoticeIdOnOnesOwnFeedMarksOnlyOnesOwn() {
        TestOwner alice = ConsentFixtures.newOwner();
        TestOwner mallory = ConsentFixtures.newOwner();
        post(mallory, "Your data was exported (CSV).");
        post(alice, "Sam (nurse) read your heart rate.");
        long alicesNewest = ids(alice).get(0);
        // Ids are one sequence across owners: Mallory names an id beyond Alice's notice on her own feed.
        given().auth().oauth2(mallory.token()).contentType(ContentType.JSON).body("{\"upTo\":" + (alicesNewest + 1000) + "}")
                .post("/owners/" + mallory.id() + "/notifications/read").then().statusCode(200).body("count", equalTo(0));
        unread(alice).body("count", equalTo(1));
        feed(alice, "").body("[0].read", equalTo(false));
    }

    @Test
    void aCaregiverOrResearcherTokenIsRefused403() {
        TestOwner alice = ConsentFixtures.newOwner();
        for (String role : List.of("caregiver", "researcher", "clinician")) {
            String token = Tokens.signedWithRoles(alice.subject(), java.util.Set.of(role));
            given().auth().oauth2(token).get("/owners/" + alice.id() + "/notifications").then().statusCode(403)
                    .contentType("application/problem+json");
        }
    }

    @Test
    void theFeedListsNewestFirstWithKindTextTimeAndReadFlag() {
        TestOwner alice = ConsentFixtures.newOwner();
        post(alice, "first", "second", "third");
        feed(alice, "").body("", hasSize(3))
                .body("text", equalTo(List.of("third", "second", "first")))
                .body("[0].kind", equalTo("ACCOUNT"))
                .body("[0].read", equalTo(false))
                .body("[0].createdAt", org.hamcrest.Matchers.notNullValue());
        List<Long> ids = ids(alice);
        assertEquals(ids.stream().sorted(java.util.Comparator.reverseOrder()).toList(), ids);
    }

    @Test
    void markingReadUpToAnIdMarksItAndOlderOnesAndAnswersHowManyStayUnread() {
        TestOwner alice = ConsentFixtures.newOwner();
        post(alice, "first", "second", "third");
        List<Long> ids = ids(alice);
        markRead(alice, ids.get(1)).statusCode(200).body("count", equalTo(1));
        feed(alice, "").body("read", equalTo(List.of(false, true, true)));
        feed(alice, "?unread=true").body("text", equalTo(List.of("third")));
        feed(alice, "?unread=false").body("", hasSize(3));
        unread(alice).body("count", equalTo(1));
        // Again, and with an id beyond the newest: idempotent, everything read.
        markRead(alice, ids.get(1)).statusCode(200).body("count", equalTo(1));
        markRead(alice, ids.get(0) + 1_000_000).statusCode(200).body("count", equalTo(0));
        feed(alice, "?unread=true").body("", hasSize(0));
    }

    @Test
    void pagingCutsTheNewestFirstOrderAndRefusesBadLimitsWith400() {
        TestOwner alice = ConsentFixtures.newOwner();
        post(alice, "1", "2", "3", "4", "5");
        feed(alice, "?limit=2").body("text", equalTo(List.of("5", "4")));
        feed(alice, "?limit=2&offset=2").body("text", equalTo(List.of("3", "2")));
        feed(alice, "?limit=2&offset=4").body("text", equalTo(List.of("1")));
        feed(alice, "?offset=5").body("", hasSize(0));
        for (String bad : List.of("limit=0", "limit=501", "limit=two", "offset=-1")) {
            given().auth().oauth2(alice.token()).get("/owners/" + alice.id() + "/notifications?" + bad).then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors[0].field", equalTo(bad.substring(0, bad.indexOf('='))));
        }
        given().auth().oauth2(alice.token()).get("/owners/" + alice.id() + "/notifications?unread=yes").then().statusCode(400)
                .body("errors[0].field", equalTo("unread"));
    }

    @Test
    void aBadUpToIs400NamingItAndMarksNothing() {
        TestOwner alice = ConsentFixtures.newOwner();
        post(alice, "first");
        for (String body : List.of("{}", "{\"upTo\":null}", "{\"upTo\":0}", "{\"upTo\":-1}", "{\"upTo\":\"all\"}",
                "{\"upTo\":1.5e30}", "{\"upTo\":99999999999999999999}")) {
            given().auth().oauth2(alice.token()).contentType(ContentType.JSON).body(body)
                    .post("/owners/" + alice.id() + "/notifications/read").then().statusCode(400)
                    .contentType("application/problem+json").body("errors[0].field", equalTo("upTo"));
        }
        given().auth().oauth2(alice.token()).contentType(ContentType.JSON).body("not json")
                .post("/owners/" + alice.id() + "/notifications/read").then().statusCode(400)
                .contentType("application/problem+json");
        given().auth().oauth2(alice.token()).contentType(ContentType.JSON)
                .post("/owners/" + alice.id() + "/notifications/read").then().statusCode(400)
                .contentType("application/problem+json");
        unread(alice).body("count", equalTo(1));
    }

    @Test
    void aTableDumpShowsNoNoticeTextAndWithoutAWebhookNothingIsQueued() throws Exception {
        TestOwner alice = ConsentFixtures.newOwner();
        String text = "Sam (nurse) read your heart rate at Grandma's";
        post(alice, text);
        List<String> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select x::text from owner_notification x where owner_id = ?")) {
            ps.setObject(1, alice.id());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getString(1));
                }
            }
        }
        assertEquals(1, rows.size());
        String hex = HexFormat.of().formatHex("Sam (nurse)".getBytes(StandardCharsets.UTF_8));
        assertFalse(rows.get(0).contains("Sam") || rows.get(0).contains("nurse") || rows.get(0).contains(hex)
                || rows.get(0).contains("Grandma"), rows.get(0));
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select count(*) from notification_outbox where owner_id = ?")) {
            ps.setObject(1, alice.id());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(0, rs.getInt(1), "no webhook is configured: nothing may wait for one");
            }
        }
        feed(alice, "").body("[0].text", equalTo(text));
    }

    private void post(TestOwner owner, String... texts) {
        for (String text : texts) {
            QuarkusTransaction.requiringNew().run(() -> notices.post(owner.id(), new Notice(NoticeKind.ACCOUNT, text)));
        }
    }

    private static ValidatableResponse feed(TestOwner owner, String query) {
        return given().auth().oauth2(owner.token()).get("/owners/" + owner.id() + "/notifications" + query).then()
                .statusCode(200).contentType(ContentType.JSON);
    }

    private static List<Long> ids(TestOwner owner) {
        return feed(owner, "").extract().jsonPath().getList("id", Long.class);
    }

    private static ValidatableResponse unread(TestOwner owner) {
        return given().auth().oauth2(owner.token()).get("/owners/" + owner.id() + "/notifications/unread").then()
                .statusCode(200);
    }

    private static ValidatableResponse markRead(TestOwner owner, long upTo) {
        return given().auth().oauth2(owner.token()).contentType(ContentType.JSON).body("{\"upTo\":" + upTo + "}")
                .post("/owners/" + owner.id() + "/notifications/read").then();
    }
}
