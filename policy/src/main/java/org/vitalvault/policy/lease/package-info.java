/**
 * Leases: a researcher's {@link org.vitalvault.policy.lease.LeaseRequest request}, the
 * {@link org.vitalvault.policy.lease.PolicyEngine policy engine} that decides whose data may count,
 * and its {@link org.vitalvault.policy.lease.LeaseDecision decision} with effective terms, stable
 * {@link org.vitalvault.policy.lease.ReasonCode reason codes} and a {@link org.vitalvault.policy.lease.PriceTable price}.
 *
 * <p>The engine is a pure function of (request, grants, shared attributes, ledger, clock); call it
 * at every query so that revocations, expiries and spent budgets take effect at the next one.
 */
package org.vitalvault.policy.lease;
