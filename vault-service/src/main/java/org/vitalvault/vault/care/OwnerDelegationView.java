package org.vitalvault.vault.care;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A delegation as its owner sees it. {@code inviteCode} is in the creation's answer only (the vault
 * keeps its hash), and only for a delegation made without a caregiver subject.
 */
public record OwnerDelegationView(UUID id, String label, String sharedAs, String status, List<String> metrics,
                                  String finestResolution, DataWindow window, Instant expiresAt, Instant createdAt,
                                  Instant acceptedAt, @JsonInclude(JsonInclude.Include.NON_NULL) String inviteCode) {

    static OwnerDelegationView of(Delegation d, Instant now, String inviteCode) {
        return new OwnerDelegationView(d.id(), d.label(), d.sharedAs(), d.status(now).json(), d.scope().metrics(),
                Scope.name(d.scope().finest()), d.scope().window(), d.expiresAt(), d.createdAt(), d.acceptedAt(), inviteCode);
    }

    @Override
    public String toString() {
        return "OwnerDelegationView[id=" + id + ", status=" + status + "]";
    }
}
