package org.vitalvault.policy.ledger;

import java.time.Instant;
import java.util.UUID;
import org.vitalvault.policy.internal.Checks;

/**
 * One charge of privacy loss to one owner: a release of lease {@code lease} at {@code at} that
 * included the owner's data spent {@code epsilon} of their budget. Also the owner's audit fact "this
 * lease used my data at this time".
 *
 * @param owner   the owner charged
 * @param lease   the lease whose release it was
 * @param at      when the release was made
 * @param epsilon the privacy loss, a finite number greater than 0
 */
public record LedgerEntry(UUID owner, UUID lease, Instant at, double epsilon) {

    public LedgerEntry {
        Checks.given("owner", owner);
        Checks.given("lease", lease);
        Checks.given("at", at);
        Checks.positive("epsilon", epsilon);
    }
}
