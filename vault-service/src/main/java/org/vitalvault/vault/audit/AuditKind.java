package org.vitalvault.vault.audit;

/**
 * Every kind of event the transparency log records (docs/decisions/050). An owner kind is an entry
 * in that owner's chain (sealed, the owner receives it); a deployment kind names no owner and is
 * kept plain.
 */
public enum AuditKind {
    // Research use of an owner's data: one entry per query per included owner.
    DATA_USE(Scope.OWNER),
    // Consent and co-ops.
    CONSENT_GRANTED(Scope.OWNER),
    CONSENT_AMENDED(Scope.OWNER),
    CONSENT_WITHDRAWN(Scope.OWNER),
    COOP_JOINED(Scope.OWNER),
    COOP_LEFT(Scope.OWNER),
    // Caregivers.
    CAREGIVER_INVITED(Scope.OWNER),
    CAREGIVER_ACCEPTED(Scope.OWNER),
    CAREGIVER_REVOKED(Scope.OWNER),
    CAREGIVER_READ(Scope.OWNER),
    // Break-glass.
    EMERGENCY_ENABLED(Scope.OWNER),
    EMERGENCY_DISABLED(Scope.OWNER),
    EMERGENCY_OPENED(Scope.OWNER),
    EMERGENCY_READ(Scope.OWNER),
    EMERGENCY_ENDED(Scope.OWNER),
    // The owner's own keys and data.
    OWNER_KEY_ROTATED(Scope.OWNER),
    DATA_EXPORTED(Scope.OWNER),
    ERASURE(Scope.OWNER),
    // Leases.
    LEASE_APPROVED(Scope.DEPLOYMENT),
    LEASE_DENIED(Scope.DEPLOYMENT),
    LEASE_REVOKED(Scope.DEPLOYMENT),
    // Operator actions.
    ORGANISATION_APPROVED(Scope.DEPLOYMENT),
    ORGANISATION_SUSPENDED(Scope.DEPLOYMENT),
    ORGANISATION_REINSTATED(Scope.DEPLOYMENT),
    KEK_ROTATED(Scope.DEPLOYMENT),
    EPOCH_KEYS_REWRAPPED(Scope.DEPLOYMENT),
    // An erasure, told without the owner: the erasure receipt's id and time.
    OWNER_ERASED(Scope.DEPLOYMENT);

    /** Whose chain an entry of this kind belongs to. */
    public enum Scope {
        OWNER, DEPLOYMENT
    }

    private final Scope scope;

    AuditKind(Scope scope) {
        this.scope = scope;
    }

    public Scope scope() {
        return scope;
    }
}
