package org.vitalvault.vault.support;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.vitalvault.reading.Reading;
import org.vitalvault.vault.support.ConsentFixtures.TestOwner;

/**
 * Owners who consented to one researcher organisation, each with a paired device and heart-rate
 * readings sealed as the gateway seals them, for lease and query tests.
 */
public final class Cohorts {

    /** Hours of each day that hold readings. */
    public static final List<Integer> HOURS = List.of(10, 11);

    private Cohorts() {
    }

    /** A member: the owner, their device and the grant they gave. */
    public record Member(TestOwner owner, UUID device, UUID grant) {
        public UUID id() {
            return owner.id();
        }
    }

    /**
     * {@code n} owners granting {@code terms} to {@code org}, each with a device and, on each of the
     * last {@code days} whole UTC days, readings at 10:00 and 11:00 of value {@code 60 + i} (owner i).
     */
    public static List<Member> consenting(DataSource dataSource, int n, UUID org, Map<String, Object> terms, int days)
            throws SQLException {
        List<Member> members = new ArrayList<>();
        Instant today = Instant.now().truncatedTo(ChronoUnit.DAYS);
        for (int i = 0; i < n; i++) {
            TestOwner owner = ConsentFixtures.newOwner();
            UUID grant = ConsentFixtures.grant(owner, ConsentFixtures.grantTo(org, terms));
            UUID device = UUID.fromString(given().auth().oauth2(owner.token()).contentType(ContentType.JSON)
                    .body(Map.of("name", "chest strap")).post("/owners/" + owner.id() + "/devices")
                    .then().statusCode(201).extract().path("id"));
            for (int d = 1; d <= days; d++) {
                for (int h : HOURS) {
                    Instant hour = today.minus(Duration.ofDays(d)).plus(Duration.ofHours(h));
                    long t = hour.toEpochMilli();
                    GatewayWrites.writeSealed(dataSource, owner.id(), "heart_rate", hour,
                            List.of(new Reading(device, t + 1000, t + 1005, 60 + i), new Reading(device, t + 61_000, t + 61_005, 60 + i)));
                }
            }
            members.add(new Member(owner, device, grant));
        }
        return members;
    }
}
