/**
 * Answering a query inside a lease: {@link org.vitalvault.policy.release.AggregateReleaser} takes a
 * fresh decision, the lease budget, the ledger and each owner's value per bucket, and returns
 * differentially private, small-cell-suppressed aggregates with the budget and ledger after them.
 */
package org.vitalvault.policy.release;
