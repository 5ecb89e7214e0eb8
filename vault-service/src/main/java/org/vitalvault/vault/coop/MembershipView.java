package org.vitalvault.vault.coop;

import java.time.Instant;
import java.util.UUID;
import org.vitalvault.policy.consent.CoopMembership;
import org.vitalvault.vault.consent.TermsBody;

/**
 * A membership as its owner sees it.
 *
 * @param ownTerms       the member's own terms, or null when they took the co-op's as they are
 * @param effectiveTerms what the membership allows: the co-op's terms narrowed by the member's own,
 *                       from joining on (null if they admit nothing together)
 */
public record MembershipView(UUID coopId, String coopName, Instant joinedAt, Instant leftAt, TermsBody ownTerms,
                             TermsBody effectiveTerms) {

    static MembershipView of(CoopMembership m, StoredCoop coop) {
        return new MembershipView(coop.id(), coop.name(), m.joinedAt(), m.leftAt(),
                m.ownTerms() == null ? null : TermsBody.of(m.ownTerms()),
                coop.terms().adoptedBy(m).map(g -> TermsBody.of(g.terms())).orElse(null));
    }
}
