package org.vitalvault.vault.consent;

import java.time.Instant;
import java.util.UUID;

/**
 * A grant as its owner sees it.
 *
 * @param inForce true when, at the time of the response, the grant is within its validity and not revoked
 */
public record GrantView(UUID id, AudienceBody audience, TermsBody terms, int version, Instant createdAt,
                        Instant amendedAt, Instant revokedAt, boolean inForce) {

    static GrantView of(GrantStore.StoredGrant s, Instant now) {
        return new GrantView(s.grant().id(), AudienceBody.of(s.grant().audience()), TermsBody.of(s.grant().terms()),
                s.version(), s.createdAt(), s.amendedAt(), s.grant().revokedAt(), s.grant().isInForceAt(now));
    }
}
