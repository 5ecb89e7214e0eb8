package org.vitalvault.policy.consent;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.vitalvault.policy.internal.Checks;

/**
 * A co-op's standing terms: the grant template its members adopt. A member's effective grant is the
 * co-op's terms narrowed by the member's own ({@link Terms#narrowedBy}), so the stricter term always
 * wins, and is in force only while they are a member.
 *
 * @param coop  the co-op's id
 * @param terms the standing terms
 */
public record CoopTerms(UUID coop, Terms terms) {

    public CoopTerms {
        Checks.given("coop", coop);
        Checks.given("terms", terms);
    }

    /**
     * The grant a membership amounts to: audience this co-op; terms the stricter of the co-op's and
     * the member's own; validity starting no earlier than joining; revoked when the member left.
     * Its id is derived from (co-op, owner), so re-deriving it gives the same grant.
     *
     * @return empty when the member's own terms and the co-op's admit nothing together
     * @throws IllegalArgumentException when the membership is of another co-op
     */
    public Optional<ConsentGrant> adoptedBy(CoopMembership membership) {
        if (!membership.coop().equals(coop)) {
            throw new IllegalArgumentException("membership is of another co-op");
        }
        Optional<Terms> combined = membership.ownTerms() == null ? Optional.of(terms) : terms.narrowedBy(membership.ownTerms());
        UUID id = UUID.nameUUIDFromBytes(("coop-membership:" + coop + ":" + membership.owner()).getBytes(StandardCharsets.UTF_8));
        return combined.flatMap(t -> t.validWithin(TimeWindow.startingAt(membership.joinedAt())))
                .map(t -> new ConsentGrant(id, membership.owner(), new Audience.Coop(coop), t, membership.leftAt()));
    }

    /**
     * {@code own} when none of its terms is looser than this co-op's, for a member setting their own
     * terms explicitly (the REST layer answers 400 rather than silently narrowing).
     *
     * @throws IllegalArgumentException naming the first field that is looser
     */
    public Terms requireNoLooserThanCoop(Terms own) {
        List<String> looser = own.fieldsLooserThan(terms);
        if (!looser.isEmpty()) {
            String field = looser.get(0);
            throw new IllegalArgumentException(field + " allows more than the co-op's standing terms ("
                    + describe(field, own) + " where the co-op allows " + describe(field, terms) + ")");
        }
        return own;
    }

    private static String describe(String field, Terms t) {
        return switch (field) {
            case "purposes" -> String.valueOf(t.purposes());
            case "metrics" -> String.valueOf(t.metrics());
            case "kinds" -> String.valueOf(t.kinds());
            case "granularity" -> String.valueOf(t.granularity());
            case "dataWindow" -> t.dataWindow().from() + " until " + t.dataWindow().until();
            case "validity" -> t.validity().from() + " until " + t.validity().until();
            case "minimumCohort" -> String.valueOf(t.minimumCohort());
            case "epsilonPerLease" -> String.valueOf(t.epsilonPerLease());
            case "epsilonPerYear" -> String.valueOf(t.epsilonPerYear());
            default -> String.valueOf(t.priceTier());
        };
    }
}
