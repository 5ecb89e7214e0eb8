package org.vitalvault.vault.consent;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vitalvault.vault.support.ConsentFixtures.grant;
import static org.vitalvault.vault.support.ConsentFixtures.grantTo;
import static org.vitalvault.vault.support.ConsentFixtures.grantToPurpose;
import static org.vitalvault.vault.support.ConsentFixtures.newOwner;
import static org.vitalvault.vault.support.ConsentFixtures.revoke;
import static org.vitalvault.vault.support.ConsentFixtures.terms;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vitalvault.policy.consent.Granularity;
import org.vitalvault.policy.consent.Purpose;
import org.vitalvault.policy.lease.CohortFilter;
import org.vitalvault.policy.lease.LeaseDecision;
import org.vitalvault.policy.lease.LeaseRequest;
import org.vitalvault.policy.lease.PolicyEngine;
import org.vitalvault.policy.lease.ReasonCode;
import org.vitalvault.policy.ledger.LedgerEntry;
import org.vitalvault.vault.ledger.LedgerStore;
import org.vitalvault.vault.support.ConsentFixtures.TestOwner;
import org.vitalvault.vault.support.Decisions;
import org.vitalvault.vault.support.Researchers;

/**
 * ConsentStore feeds the policy engine from the database: what owners did through REST a moment
 * ago — granting, amending, revoking — is what the next decision sees.
 */
@QuarkusTest
class ConsentStoreTest {

    @Inject
    ConsentStore consent;

    @Inject
    LedgerStore ledgers;

    @Inject
    PolicyEngine engine;

    private UUID researcher;

    @BeforeEach
    void anOrganisation() {
        researcher = Researchers.registeredOrg().id();
    }

    @Test
    void revokingAGrantExcludesTheOwnerFromTheNextDecision() {
        List<TestOwner> owners = new ArrayList<>();
        List<UUID> grants = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            TestOwner o = newOwner();
            owners.add(o);
            grants.add(grant(o, grantTo(researcher, terms())));
        }
        Set<UUID> ids = owners.stream().map(TestOwner::id).collect(Collectors.toSet());
        LeaseRequest request = Decisions.request(researcher, Granularity.DAY, CohortFilter.ANYONE);
        LeaseDecision before = decide(request);
        assertTrue(before.approved(), "reasons: " + before.reasons());
        assertEquals(ids, before.eligibleOwners());

        revoke(owners.get(0), grants.get(0)).statusCode(200);

        LeaseDecision after = decide(request);
        assertTrue(after.approved());
        assertEquals(11, after.eligibleOwners().size());
        assertFalse(after.eligibleOwners().contains(owners.get(0).id()));
        assertEquals(ReasonCode.GRANT_REVOKED, after.exclusions().get(owners.get(0).id()));

        revoke(owners.get(1), grants.get(1)).statusCode(200);

        // Ten left: the exact decision still lists them; whether a lease is granted over ten is
        // LeaseApproval's to decide on a noisy count (decision 024).
        LeaseDecision ten = decide(request);
        assertEquals(10, ten.eligibleOwners().size());
        assertEquals(ReasonCode.GRANT_REVOKED, ten.exclusions().get(owners.get(1).id()));
    }

    @Test
    void anAmendmentCountsFromTheNextDecision() {
        List<TestOwner> owners = new ArrayList<>();
        List<UUID> grants = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            TestOwner o = newOwner();
            owners.add(o);
            grants.add(grant(o, grantTo(researcher, terms())));
        }
        LeaseRequest request = Decisions.request(researcher, Granularity.DAY, CohortFilter.ANYONE);
        assertTrue(decide(request).approved());

        Map<String, Object> weekly = terms();
        weekly.put("granularity", "WEEK");
        given().auth().oauth2(owners.get(3).token()).contentType(ContentType.JSON).body(Map.of("terms", weekly))
                .put("/owners/" + owners.get(3).id() + "/grants/" + grants.get(3)).then().statusCode(200);

        LeaseDecision after = decide(request);
        assertFalse(after.eligibleOwners().contains(owners.get(3).id()));
        assertEquals(ReasonCode.GRANULARITY_NOT_COVERED, after.exclusions().get(owners.get(3).id()));
        assertEquals(11, decide(Decisions.request(researcher, Granularity.WEEK, CohortFilter.ANYONE)).eligibleOwners().size(),
                "weekly buckets are still within everyone's terms");
    }

    @Test
    void aGrantToAPurposeCountsForAnyResearcherWithThatPurpose() {
        Set<UUID> ids = new HashSet<>();
        for (int i = 0; i < 11; i++) {
            TestOwner o = newOwner();
            ids.add(o.id());
            grant(o, grantToPurpose(terms()));
        }
        LeaseDecision decision = decide(Decisions.request(UUID.randomUUID(), Purpose.valueOf(Decisions.SHARED_PURPOSE),
                Granularity.DAY, CohortFilter.ANYONE));
        assertTrue(decision.approved(), "" + decision.reasons());
        assertTrue(decision.eligibleOwners().containsAll(ids));
    }

    @Test
    void anOwnerWhoseYearlyBudgetIsSpentInTheLedgerIsExcluded() {
        List<TestOwner> owners = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            TestOwner o = newOwner();
            owners.add(o);
            grant(o, grantTo(researcher, terms()));
        }
        UUID spender = owners.get(5).id();
        Instant now = Instant.now();
        ledgers.record(List.of(new LedgerEntry(spender, UUID.randomUUID(), now.minusSeconds(3600), 2.5),
                new LedgerEntry(spender, UUID.randomUUID(), now.minusSeconds(60), 1.5)));

        LeaseDecision decision = decide(Decisions.request(researcher, Granularity.DAY, CohortFilter.ANYONE));
        assertTrue(decision.approved());
        assertEquals(ReasonCode.BUDGET_EXHAUSTED, decision.exclusions().get(spender), "ε 4 of 4 spent this year");
        assertEquals(11, decision.eligibleOwners().size());
    }

    private LeaseDecision decide(LeaseRequest request) {
        return Decisions.decide(request, consent, ledgers, engine);
    }
}
