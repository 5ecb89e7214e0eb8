/**
 * Privacy-loss accounting. A {@link org.vitalvault.policy.ledger.LeaseBudget} composes one lease's
 * releases sequentially and refuses a release past the lease's ε; the
 * {@link org.vitalvault.policy.ledger.PrivacyLedger} charges every included owner on every release,
 * across all leases, under their per-lease and rolling 365-day caps. Both sum exactly.
 */
package org.vitalvault.policy.ledger;
