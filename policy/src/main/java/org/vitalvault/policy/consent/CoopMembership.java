package org.vitalvault.policy.consent;

import java.time.Instant;
import java.util.UUID;
import org.vitalvault.policy.internal.Checks;

/**
 * An owner's membership of a co-op: they adopted its standing terms when they joined, may tighten
 * them with their own, and may leave at any time. See {@link CoopTerms#adoptedBy(CoopMembership)}.
 *
 * @param owner    the member
 * @param coop     the co-op
 * @param joinedAt when they joined
 * @param leftAt   when they left, or {@code null}
 * @param ownTerms the member's own terms, or {@code null} to take the co-op's as they are
 */
public record CoopMembership(UUID owner, UUID coop, Instant joinedAt, Instant leftAt, Terms ownTerms) {

    public CoopMembership {
        Checks.given("owner", owner);
        Checks.given("coop", coop);
        Checks.given("joinedAt", joinedAt);
        if (leftAt != null && leftAt.isBefore(joinedAt)) {
            throw new IllegalArgumentException("leftAt must not be before joinedAt");
        }
    }
}
