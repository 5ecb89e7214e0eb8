package org.vitalvault.vault.researcher;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.vitalvault.vault.support.AuditChains;
import org.vitalvault.vault.support.AuditEntries;
import org.vitalvault.vault.support.FailAtCommit;
import org.vitalvault.vault.support.Researchers;
import org.vitalvault.vault.support.Tokens;

/**
 * An operator's actions on research access land in the transparency log (issue 17, deployment scope)
 * in their own transaction: an approval, a suspension and a reinstatement that commit have exactly
 * one entry each, one that rolls back none. An entry names the organisation, the statuses, the status
 * change's id and its reason's SHA-256 — never the reason's text or the operator.
 */
@QuarkusTest
class OperatorAuditTest {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    AuditEntries entries;

    @Inject
    AuditChains chains;

    @Test
    void anApprovalHasExactlyOneEntryAndApprovingAgainAddsNone() {
        Researchers.Org org = Researchers.registeredOrg();
        String operator = operatorToken();
        approve(operator, org.id()).statusCode(200).body("status", equalTo("APPROVED"));
        approve(operator, org.id()).statusCode(200);

        List<AuditEntries.Entry> approved = of("ORGANISATION_APPROVED", org.id());
        assertEquals(1, approved.size());
        JsonNode d = approved.get(0).details();
        assertEquals("APPROVED", d.get("status").asText());
        assertEquals("PENDING", d.get("previousStatus").asText());
        assertFalse(approved.get(0).json().toString().contains("operator-"), "names no operator");
    }

    @Test
    void aSuspensionAndAReinstatementHaveExactlyOneEntryEachPinningTheirRecordedChange() throws Exception {
        Researchers.Org org = Researchers.approvedOrg();
        String operator = operatorToken();
        String why = "ethics board withdrew the study's approval";
        suspend(operator, org.id(), why).statusCode(200);
        reinstate(operator, org.id(), "ethics board approved the amended protocol").statusCode(200);

        List<AuditEntries.Entry> suspended = of("ORGANISATION_SUSPENDED", org.id());
        List<AuditEntries.Entry> reinstated = of("ORGANISATION_REINSTATED", org.id());
        assertEquals(1, suspended.size());
        assertEquals(1, reinstated.size());
        List<Long> changes = changeIds(org.id());
        JsonNode s = suspended.get(0).details();
        assertEquals("SUSPENDED", s.get("status").asText());
        assertEquals("APPROVED", s.get("previousStatus").asText());
        assertEquals(changes.get(0).longValue(), s.get("statusChangeId").asLong());
        assertEquals(sha256(why), s.get("reasonSha256").asText());
        assertFalse(suspended.get(0).json().toString().contains("ethics"), "the reason's text stays in its row");
        JsonNode r = reinstated.get(0).details();
        assertEquals("APPROVED", r.get("status").asText());
        assertEquals("SUSPENDED", r.get("previousStatus").asText());
        assertEquals(changes.get(1).longValue(), r.get("statusChangeId").asLong());
        assertEquals(sha256("ethics board approved the amended protocol"), r.get("reasonSha256").asText());

        // A refused suspension (already suspended, 409) is no event: no entry.
        suspend(operator, org.id(), why).statusCode(200);
        suspend(operator, org.id(), why).statusCode(409);
        assertEquals(2, of("ORGANISATION_SUSPENDED", org.id()).size());
    }

    @Test
    void operatorActionsWhoseTransactionFailsAtCommitLeaveNoEntry() throws Exception {
        Researchers.Org org = Researchers.registeredOrg();
        String operator = operatorToken();
        long mark = chains.mark();
        String row = "NEW.org_id = '" + org.id() + "'::uuid";
        try (FailAtCommit fail = FailAtCommit.whenWritten(dataSource, "researcher_org", row + " and NEW.status = 'APPROVED'")) {
            approve(operator, org.id()).statusCode(500);
        }
        assertEquals(0, chains.since(mark), "no entry and no queued commitment");
        assertEquals("PENDING", status(org.id()));

        approve(operator, org.id()).statusCode(200);
        mark = chains.mark();
        try (FailAtCommit fail = FailAtCommit.whenWritten(dataSource, "researcher_org", row + " and NEW.status = 'SUSPENDED'")) {
            suspend(operator, org.id(), "misuse suspected").statusCode(500);
        }
        assertEquals(0, chains.since(mark));
        assertEquals("APPROVED", status(org.id()));
        assertTrue(changeIds(org.id()).isEmpty());

        suspend(operator, org.id(), "misuse suspected").statusCode(200);
        mark = chains.mark();
        try (FailAtCommit fail = FailAtCommit.whenWritten(dataSource, "researcher_org", row + " and NEW.status = 'APPROVED'")) {
            reinstate(operator, org.id(), "cleared").statusCode(500);
        }
        assertEquals(0, chains.since(mark));
        assertEquals("SUSPENDED", status(org.id()));

        assertEquals(1, of("ORGANISATION_APPROVED", org.id()).size());
        assertEquals(1, of("ORGANISATION_SUSPENDED", org.id()).size());
        assertTrue(of("ORGANISATION_REINSTATED", org.id()).isEmpty());
    }

    private List<AuditEntries.Entry> of(String kind, UUID org) {
        return entries.deployment(kind).stream()
                .filter(e -> e.details().get("organisationId").asText().equals(org.toString())).toList();
    }

    private List<Long> changeIds(UUID org) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select change_id from researcher_org_status_change where org_id = ? order by change_id")) {
            ps.setObject(1, org);
            try (ResultSet rs = ps.executeQuery()) {
                List<Long> ids = new java.util.ArrayList<>();
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
                return ids;
            }
        }
    }

    private String status(UUID org) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select status from researcher_org where org_id = ?")) {
            ps.setObject(1, org);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private static String operatorToken() {
        return Tokens.tokenFor("operator-" + UUID.randomUUID(), "operator");
    }

    private static ValidatableResponse approve(String token, UUID org) {
        return given().auth().oauth2(token).post("/operator/researchers/" + org + "/approve").then();
    }

    private static ValidatableResponse suspend(String token, UUID org, String reason) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("reason", reason))
                .post("/operator/researchers/" + org + "/suspend").then();
    }

    private static ValidatableResponse reinstate(String token, UUID org, String reason) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("reason", reason))
                .post("/operator/researchers/" + org + "/reinstate").then();
    }

    private static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }
}
