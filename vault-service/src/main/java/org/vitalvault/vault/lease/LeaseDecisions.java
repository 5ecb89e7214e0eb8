package org.vitalvault.vault.lease;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.vitalvault.policy.consent.ConsentGrant;
import org.vitalvault.policy.consent.SystemPolicy;
import org.vitalvault.policy.lease.LeaseDecision;
import org.vitalvault.policy.lease.LeaseRequest;
import org.vitalvault.policy.lease.PolicyEngine;
import org.vitalvault.policy.ledger.PrivacyLedger;
import org.vitalvault.vault.attributes.SharedAttributesStore;
import org.vitalvault.vault.consent.ConsentStore;
import org.vitalvault.vault.ledger.LedgerStore;

/**
 * A lease decision made now, from what the database holds now: grants and co-op memberships
 * ({@link ConsentStore}, no cache), the attributes owners share when the request filters on them
 * ({@link SharedAttributesStore}) and the owners' ledgers ({@link LedgerStore}), then the policy
 * engine. Called when a lease is requested and again at every query, so a revocation, an expired
 * grant, a co-op departure or a spent yearly budget counts from the next query on.
 */
@ApplicationScoped
public class LeaseDecisions {

    @Inject
    ConsentStore consent;

    @Inject
    LedgerStore ledgers;

    @Inject
    SharedAttributesStore attributes;

    @Inject
    PolicyEngine engine;

    @Inject
    SystemPolicy system;

    /** What a decision was made from: the ledger it read, and the decision. */
    public record Made(LeaseDecision decision, PrivacyLedger ledger) {
    }

    /**
     * @param request    the lease's request
     * @param restrictTo when not null, only these owners' grants are considered (a query re-decides
     *                   among the owners the lease was approved for)
     * @param now        the decision's instant
     */
    public Made decide(LeaseRequest request, Set<UUID> restrictTo, Instant now) {
        List<ConsentGrant> grants = consent.grantsFor(request);
        if (restrictTo != null) {
            grants = grants.stream().filter(g -> restrictTo.contains(g.owner())).toList();
        }
        Set<UUID> owners = grants.stream().map(ConsentGrant::owner).collect(Collectors.toSet());
        PrivacyLedger ledger = ledgers.ledgerOf(owners, now.minus(PrivacyLedger.YEAR).minus(system.maxLeasePeriod()));
        return new Made(engine.decide(request, grants,
                request.cohort().filtersAttributes() ? attributes.forOwners(owners) : java.util.Map.of(), ledger,
                Clock.fixed(now, ZoneOffset.UTC)), ledger);
    }
}
