package org.vitalvault.policy.consent;

import java.time.Instant;
import java.util.UUID;
import org.vitalvault.policy.internal.Checks;

/**
 * An owner's consent: their data may count in aggregates for {@code audience} on {@code terms},
 * from when the validity starts until it ends or the grant is revoked, whichever is first.
 *
 * <p>Revocation is a fact with a time, not a deletion: a grant revoked at {@code revokedAt} is out
 * of force for every decision made at or after that instant, and still explains decisions made
 * before it.
 *
 * @param id        the grant's id
 * @param owner     the owner's id
 * @param audience  who may use it
 * @param terms     what, how, when, at what privacy loss and price
 * @param revokedAt when the owner revoked it, or {@code null}
 */
public record ConsentGrant(UUID id, UUID owner, Audience audience, Terms terms, Instant revokedAt) {

    public ConsentGrant {
        Checks.given("id", id);
        Checks.given("owner", owner);
        Checks.given("audience", audience);
        Checks.given("terms", terms);
        if (audience instanceof Audience.AnyResearcherFor a && !terms.purposes().contains(a.purpose())) {
            throw new IllegalArgumentException("audience purpose " + a.purpose() + " must be among purposes "
                    + terms.purposes());
        }
    }

    /** True when the grant has been revoked at or before {@code t}. */
    public boolean isRevokedAt(Instant t) {
        return revokedAt != null && !t.isBefore(revokedAt);
    }

    /** True when {@code t} lies in the validity and the grant is not revoked by then. */
    public boolean isInForceAt(Instant t) {
        return terms.validity().contains(t) && !isRevokedAt(t);
    }

    /** This grant revoked at {@code at}; an earlier revocation stands. */
    public ConsentGrant revoked(Instant at) {
        Checks.given("revokedAt", at);
        return revokedAt != null && !revokedAt.isAfter(at) ? this : new ConsentGrant(id, owner, audience, terms, at);
    }
}
