package org.vitalvault.policy.lease;

/**
 * Stable, machine-readable reasons. The per-owner codes (from {@link #NO_MATCHING_GRANT} to
 * {@link #OWNER_MINIMUM_COHORT_NOT_MET}) say why an owner does not count; the decision-level codes
 * why a lease is denied; the release-level codes why a query is refused. Names never change; new
 * codes may be added.
 */
public enum ReasonCode {
    /** No grant of the owner is for this audience (researcher, purpose or co-op). */
    NO_MATCHING_GRANT,
    /** The grant that would cover the request was revoked. */
    GRANT_REVOKED,
    /** The grant that would cover the request is not valid yet. */
    GRANT_NOT_YET_VALID,
    /** The grant that would cover the request has expired. */
    GRANT_EXPIRED,
    /** The grant does not list the request's purpose. */
    PURPOSE_NOT_COVERED,
    /** The grant does not list every requested metric. */
    METRIC_NOT_COVERED,
    /** The grant does not list every requested aggregate kind. */
    AGGREGATE_KIND_NOT_COVERED,
    /** The grant's finest granularity is coarser than the request's. */
    GRANULARITY_NOT_COVERED,
    /** The grant's data window does not cover the request's. */
    DATA_WINDOW_NOT_COVERED,
    /** The owner did not share, or does not have, the attributes the cohort filter selects. */
    COHORT_FILTER_NOT_MET,
    /** The owner's yearly privacy-loss budget is spent. */
    BUDGET_EXHAUSTED,
    /** The owner demands a larger cohort than the eligible set. */
    OWNER_MINIMUM_COHORT_NOT_MET,
    /** Fewer eligible owners than the effective minimum cohort. */
    COHORT_BELOW_K,
    /** The lease period is over. */
    LEASE_PERIOD_ENDED,
    /** The lease period is longer than the system allows. */
    LEASE_PERIOD_TOO_LONG,
    /** The query's ε does not fit in what is left of the lease's budget. */
    LEASE_BUDGET_EXHAUSTED,
    /** The query asks for a metric, kind, granularity or bucket the lease does not cover. */
    NOT_LEASED,
    /** The query was made under a decision that denied the lease. */
    LEASE_DENIED
}
