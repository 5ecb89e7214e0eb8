package org.vitalvault.policy.lease;

import java.time.Clock;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import org.vitalvault.policy.consent.ConsentGrant;
import org.vitalvault.policy.consent.OwnerAttributes;
import org.vitalvault.policy.ledger.PrivacyLedger;

/**
 * Decides whose data may count in a lease, at the instant of a {@link Clock}.
 *
 * <p><b>Guarantee.</b> An owner is a participant of an approved decision only if one of their grants
 * is for the request's audience, in force at the clock's instant (within its validity and not
 * revoked), and covers the request's purpose, every metric and aggregate kind, its granularity (at
 * least as coarse as the grant's finest) and its data window; the owner passes the cohort filter
 * with attributes they shared; their yearly ε is not spent; and the cohort is at least as large as
 * every participant's own minimum. A decision is approved only for at least k participants, k being
 * the largest of the system's minimum and every participant's. The stricter term always wins.
 *
 * <p><b>Determinism.</b> The decision is a pure function of its arguments: it reads the clock once,
 * draws no randomness, keeps no state, and does not depend on the order of the grants.
 *
 * <p><b>What it does not do.</b> It does not run queries, add noise or charge the ledger (see
 * {@code org.vitalvault.policy.release.AggregateReleaser}); it does not persist, sign or cache
 * anything — call it again at every query, so a revocation or a spent budget takes effect at the
 * next one; and it does not authenticate the researcher or check the grants' provenance.
 */
public interface PolicyEngine {

    /**
     * @param request          the lease request
     * @param grants           grants to consider, of any owners and audiences (co-op memberships as
     *                         {@link org.vitalvault.policy.consent.CoopTerms#adoptedBy adopted} grants)
     * @param sharedAttributes attributes each owner chose to share, by owner id (absent = none)
     * @param ledger           every owner's privacy loss so far
     * @param clock            the time of the decision
     * @return the decision
     */
    LeaseDecision decide(LeaseRequest request, Collection<ConsentGrant> grants, Map<UUID, OwnerAttributes> sharedAttributes,
                         PrivacyLedger ledger, Clock clock);

    /** {@link #decide(LeaseRequest, Collection, Map, PrivacyLedger, Clock)} with no shared attributes. */
    default LeaseDecision decide(LeaseRequest request, Collection<ConsentGrant> grants, PrivacyLedger ledger, Clock clock) {
        return decide(request, grants, Map.of(), ledger, clock);
    }
}
