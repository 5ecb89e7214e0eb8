package org.vitalvault.policy.lease;

import java.util.Set;
import java.util.UUID;
import org.vitalvault.policy.consent.PriceTier;
import org.vitalvault.policy.ledger.OwnerCaps;

/**
 * An eligible owner and the terms that bind them in this lease. Internal to the vault: neither the
 * owner id nor anything else here is ever shown to the researcher.
 *
 * @param owner           the owner
 * @param grants          ids of the owner's grants that cover the request
 * @param minimumCohort   the largest minimum cohort among those grants
 * @param epsilonPerLease the smallest per-lease cap among those grants and the system's
 * @param epsilonPerYear  the smallest yearly cap among all the owner's grants in force and the system's
 * @param priceTier       the dearest tier among those grants
 * @param creditCents     what the lease credits the owner, euro cents
 */
public record Participant(UUID owner, Set<UUID> grants, int minimumCohort, double epsilonPerLease,
                          double epsilonPerYear, PriceTier priceTier, long creditCents) {

    public Participant {
        grants = Set.copyOf(grants);
    }

    /** The caps the ledger charges this owner under. */
    public OwnerCaps caps() {
        return new OwnerCaps(epsilonPerLease, epsilonPerYear);
    }
}
