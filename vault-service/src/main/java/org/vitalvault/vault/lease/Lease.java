package org.vitalvault.vault.lease;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;
import org.vitalvault.policy.lease.LeaseRequest;
import org.vitalvault.policy.ledger.LeaseBudget;

/**
 * An approved lease as stored: the request it was approved for (every query re-decides it), its
 * budget, price and the signed document. The eligible owners are in {@code lease_participant},
 * never here.
 */
public record Lease(UUID id, UUID organisation, UUID requestId, LeaseRequest request, BigDecimal epsilonTotal,
                    BigDecimal epsilonSpent, int minimumCohort, int cohortSize, long priceCents, long creditedCents,
                    String document, Instant createdAt) {

    /** The lease's budget so far. */
    public LeaseBudget budget() {
        return new LeaseBudget(id, epsilonTotal, epsilonSpent);
    }
}
