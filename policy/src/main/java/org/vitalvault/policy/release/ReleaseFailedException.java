package org.vitalvault.policy.release;

/**
 * Computing a release failed after the owners and the lease were charged. Whether it fails could
 * depend on the data, so the failure must cost what a release costs: {@link #charged()} holds the
 * budget, ledger and charges (and no buckets) for the caller to record before it reports the error.
 */
public final class ReleaseFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Release charged;

    /**
     * @param charged the release's charge, with no buckets
     * @param cause   what failed
     */
    public ReleaseFailedException(Release charged, Throwable cause) {
        super("computing a release failed after it was charged", cause);
        this.charged = charged;
    }

    /** The charge to record: budget, ledger and ledger entries after the release, no buckets. */
    public Release charged() {
        return charged;
    }
}
