package org.vitalvault.vault.lease;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.vitalvault.vault.support.AuditChains;
import org.vitalvault.vault.support.AuditEntries;
import org.vitalvault.vault.support.Cohorts;
import org.vitalvault.vault.support.ConsentFixtures;
import org.vitalvault.vault.support.FailAtCommit;
import org.vitalvault.vault.support.Researchers;

/**
 * Lease decisions land in the transparency log (issue 17, deployment scope) in the transaction that
 * records them: an approved lease always has exactly one LEASE_APPROVED entry, a denial one
 * LEASE_DENIED, and a decision whose transaction fails leaves none. Entries name the organisation and
 * the terms, and the cohort size only as the researcher was told it — never an owner.
 */
@QuarkusTest
class LeaseAuditTest {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    AuditEntries entries;

    @Inject
    AuditChains chains;

    @Test
    void anApprovedLeaseHasExactlyOneEntryWithItsTermsAndNoOwner() throws Exception {
        Researchers.Org org = Researchers.approvedOrg();
        List<Cohorts.Member> cohort = Cohorts.consenting(dataSource, 11, org.id(), ConsentFixtures.terms(), 0);
        Map<String, Object> request = Researchers.leaseRequest(org.id());
        UUID lease = org.lease(request);

        List<AuditEntries.Entry> approved = ofRequest("LEASE_APPROVED", request);
        assertEquals(1, approved.size());
        JsonNode entry = approved.get(0).json();
        assertFalse(entry.has("owner"), "a deployment entry is in no owner's chain");
        JsonNode d = entry.get("details");
        assertEquals(lease.toString(), d.get("leaseId").asText());
        assertEquals(org.id().toString(), d.get("organisationId").asText());
        assertEquals("HRESCH", d.get("terms").get("purpose").asText());
        assertEquals("heart_rate", d.get("terms").get("metrics").get(0).asText());
        assertEquals("DAY", d.get("terms").get("granularity").asText());
        assertEquals(11, d.get("terms").get("minimumCohort").asInt());
        assertEquals(1.0, d.get("terms").get("epsilon").asDouble());
        assertEquals(11, d.get("cohortSize").asInt(), "the estimate the signed lease document states");
        assertEquals(11 * 50 * 4 * 2, d.get("priceCents").asInt());
        for (Cohorts.Member m : cohort) {
            assertFalse(entry.toString().contains(m.id().toString()), "names no owner");
            assertTrue(entries.ofOwner(m.id()).stream().noneMatch(e -> e.kind().startsWith("LEASE_")), "a lease decision is not an owner's entry");
        }
    }

    @Test
    void aDeniedLeaseHasExactlyOneEntryWithItsReasonsAndOnlyTheEstimateTheResearcherWasTold() throws Exception {
        Researchers.Org org = Researchers.approvedOrg();
        Cohorts.consenting(dataSource, 10, org.id(), ConsentFixtures.terms(), 0);
        Map<String, Object> request = Researchers.leaseRequest(org.id());
        org.requestLease(request).statusCode(403).body("type", equalTo("https://vitalvault.org/problems/lease-denied"));

        List<AuditEntries.Entry> denied = ofRequest("LEASE_DENIED", request);
        assertEquals(1, denied.size());
        JsonNode d = denied.get(0).details();
        assertEquals(org.id().toString(), d.get("organisationId").asText());
        assertEquals("HRESCH", d.get("terms").get("purpose").asText());
        assertTrue(d.get("reasons").toString().contains("COHORT_BELOW_K"), d.toString());
        Long told = estimateRecorded(org.id(), UUID.fromString((String) request.get("requestId")));
        if (told == null) {
            assertFalse(d.has("cohortSize"), "no estimate was told, none is logged");
        } else {
            assertEquals(told.longValue(), d.get("cohortSize").asLong());
        }
        assertTrue(ofRequest("LEASE_APPROVED", request).isEmpty());
    }

    @Test
    void anApprovalWhoseTransactionFailsAtCommitLeavesNoEntryAndNoLease() throws Exception {
        Researchers.Org org = Researchers.approvedOrg();
        Cohorts.consenting(dataSource, 11, org.id(), ConsentFixtures.terms(), 0);
        Map<String, Object> request = Researchers.leaseRequest(org.id());
        long mark = chains.mark();
        try (FailAtCommit fail = FailAtCommit.whenWritten(dataSource, "lease_request",
                "NEW.request_id = '" + request.get("requestId") + "'::uuid and NEW.outcome = 'APPROVED'")) {
            org.requestLease(request).statusCode(500);
        }
        assertEquals(0, chains.since(mark), "no entry and no queued commitment");
        assertTrue(ofRequest("LEASE_APPROVED", request).isEmpty());
        assertEquals(0, leasesOf(org.id()));
    }

    @Test
    void aDenialWhoseTransactionFailsAtCommitLeavesNoEntry() throws Exception {
        Researchers.Org org = Researchers.approvedOrg();
        Cohorts.consenting(dataSource, 10, org.id(), ConsentFixtures.terms(), 0);
        Map<String, Object> request = Researchers.leaseRequest(org.id());
        long mark = chains.mark();
        try (FailAtCommit fail = FailAtCommit.whenWritten(dataSource, "lease_request",
                "NEW.request_id = '" + request.get("requestId") + "'::uuid and NEW.outcome = 'DENIED'")) {
            org.requestLease(request).statusCode(500);
        }
        assertEquals(0, chains.since(mark), "no entry and no queued commitment");
        assertTrue(ofRequest("LEASE_DENIED", request).isEmpty());
        assertNull(estimateRecorded(org.id(), UUID.fromString((String) request.get("requestId"))));
    }

    private List<AuditEntries.Entry> ofRequest(String kind, Map<String, Object> request) {
        return entries.deployment(kind).stream()
                .filter(e -> e.details().path("requestId").asText().equals(request.get("requestId"))).toList();
    }

    private Long estimateRecorded(UUID org, UUID request) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select estimated_cohort from lease_request where org_id = ? and request_id = ?")) {
            ps.setObject(1, org);
            ps.setObject(2, request);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long v = rs.getLong(1);
                return rs.wasNull() ? null : v;
            }
        }
    }

    private long leasesOf(UUID org) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select count(*) from lease where org_id = ?")) {
            ps.setObject(1, org);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
