package org.vitalvault.vault.care;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A delegation as its caregiver sees it: whose (by the name the owner chose), what, until when. */
public record CaregiverView(UUID id, String sharedAs, List<String> metrics, String finestResolution, DataWindow window,
                            Instant expiresAt) {

    static CaregiverView of(Delegation d) {
        return new CaregiverView(d.id(), d.sharedAs(), d.scope().metrics(), Scope.name(d.scope().finest()),
                d.scope().window(), d.expiresAt());
    }
}
