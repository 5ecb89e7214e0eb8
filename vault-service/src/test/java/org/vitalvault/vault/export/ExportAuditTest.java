package org.vitalvault.vault.export;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.vitalvault.reading.Reading;
import org.vitalvault.vault.support.AuditChains;
import org.vitalvault.vault.support.FailAtCommit;
import org.vitalvault.vault.support.GatewayWrites;
import org.vitalvault.vault.support.Tokens;

/**
 * Exports in the owner's chain of the transparency log (issue 17): each export is one entry naming
 * its format, committed with the owner's notice before the first byte; an export whose announcement
 * fails to commit is not made and leaves no entry. No value read is in the log.
 */
@QuarkusTest
class ExportAuditTest {

    private static final double VALUE = 63.125;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    AuditChains chains;

    @Test
    void eachExportAppendsExactlyOneEntryNamingItsFormat() throws Exception {
        String token = Tokens.newOwnerToken();
        UUID owner = Tokens.register(token);
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(2, ChronoUnit.HOURS);
        long t = hour.plusSeconds(5).toEpochMilli();
        GatewayWrites.writeSealed(dataSource, owner, "heart_rate", hour, List.of(new Reading(UUID.randomUUID(), t, t + 5, VALUE)));
        String csv = given().auth().oauth2(token).queryParam("format", "csv").get("/owners/" + owner + "/export")
                .then().statusCode(200).extract().asString();
        given().auth().oauth2(token).get("/owners/" + owner + "/export").then().statusCode(200);

        List<JsonNode> chain = chains.verified(owner);
        assertEquals(List.of("DATA_EXPORTED", "DATA_EXPORTED"), chain.stream().map(e -> e.get("kind").asText()).toList());
        assertEquals("CSV", chain.get(0).get("details").get("format").asText());
        assertEquals("FHIR", chain.get(1).get("details").get("format").asText());
        assertEquals(1, chain.get(0).get("details").size());
        chains.assertNoneContains(owner, String.valueOf(VALUE), token);
        assertEquals(true, csv.contains(String.valueOf(VALUE)), "the export itself has the value");
    }

    @Test
    void anExportWhoseAnnouncementFailsToCommitIsNotMadeAndLeavesNoEntry() {
        String token = Tokens.newOwnerToken();
        UUID owner = Tokens.register(token);
        long mark = chains.mark();
        try (FailAtCommit failing = FailAtCommit.forOwnerEntry(dataSource, owner)) {
            given().auth().oauth2(token).queryParam("format", "csv").get("/owners/" + owner + "/export").then().statusCode(500);
        }
        assertEquals(0, chains.since(mark));
        assertEquals(List.of(), chains.verified(owner));
    }
}
