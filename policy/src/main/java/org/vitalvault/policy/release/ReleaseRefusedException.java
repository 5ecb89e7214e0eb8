package org.vitalvault.policy.release;

import org.vitalvault.policy.lease.Reason;
import org.vitalvault.policy.lease.ReasonCode;

/**
 * A query was refused before anything was charged or computed. Carries a {@link Reason} whose
 * sentence may be shown to the researcher.
 */
public final class ReleaseRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Reason reason;

    /** @param reason why */
    public ReleaseRefusedException(Reason reason) {
        super(reason.message());
        this.reason = reason;
    }

    /** Why, with a stable code. */
    public Reason reason() {
        return reason;
    }

    /** The stable code. */
    public ReasonCode code() {
        return reason.code();
    }
}
