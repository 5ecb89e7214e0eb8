package org.vitalvault.policy.lease;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.vitalvault.policy.internal.Checks;

/**
 * The outcome of {@link PolicyEngine#decide}: the exact, internal decision — approved unless the
 * request itself is out of bounds, with every eligible owner — or denied with request-level reasons.
 *
 * <p>Exact counts are never shown to an organisation: {@link #participants}, {@link #exclusions} and
 * {@link #price} are for the vault (queries, ledger, credits, the owners' own audit trail). What an
 * organisation sees is {@link LeaseApproval}'s outcome, made on noisy counts; {@link #terms} and
 * {@link #reasons} depend on the request and the system only.
 *
 * <p>Invariants checked here: an approved decision has no reasons; a denied one has reasons, no
 * participants and price 0.
 *
 * @param approved     whether the lease may proceed
 * @param terms        the effective terms (on denial, those that would have applied)
 * @param participants eligible owners and what binds each, by owner id
 * @param exclusions   owners who had a grant for this audience but do not count, with the reason
 * @param reasons      why the lease is denied, in code order (empty when approved)
 * @param price        the price, 0 when denied
 * @param decidedAt    the clock's instant the decision was made for
 */
public record LeaseDecision(boolean approved, EffectiveTerms terms, Map<UUID, Participant> participants,
                            Map<UUID, ReasonCode> exclusions, List<Reason> reasons, Price price, Instant decidedAt) {

    public LeaseDecision {
        Checks.given("terms", terms);
        participants = Map.copyOf(participants);
        exclusions = Map.copyOf(exclusions);
        reasons = List.copyOf(reasons);
        Checks.given("price", price);
        Checks.given("decidedAt", decidedAt);
        if (approved && !reasons.isEmpty()) {
            throw new IllegalArgumentException("an approved decision has no reasons");
        }
        if (!approved && (reasons.isEmpty() || !participants.isEmpty() || price.euroCents() != 0)) {
            throw new IllegalArgumentException("a denied decision has reasons, no participants and no price");
        }
    }

    /** The eligible owners' ids. Internal: never shown to researchers. */
    public Set<UUID> eligibleOwners() {
        return participants.keySet();
    }

    /** True when the decision carries this reason code. */
    public boolean hasReason(ReasonCode code) {
        return reasons.stream().anyMatch(r -> r.code() == code);
    }
}
