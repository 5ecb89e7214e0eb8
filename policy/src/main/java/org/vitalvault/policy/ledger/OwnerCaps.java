package org.vitalvault.policy.ledger;

import org.vitalvault.policy.internal.Checks;

/**
 * The privacy-loss limits that bind one owner at the time of a charge: the strictest of their
 * grants', their co-op's and the system's.
 *
 * @param epsilonPerLease the most ε one lease may spend on the owner
 * @param epsilonPerYear  the most ε all leases may spend on the owner in any 365 days
 */
public record OwnerCaps(double epsilonPerLease, double epsilonPerYear) {

    public OwnerCaps {
        Checks.positive("epsilonPerLease", epsilonPerLease);
        Checks.positive("epsilonPerYear", epsilonPerYear);
    }
}
