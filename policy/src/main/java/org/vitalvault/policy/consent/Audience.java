package org.vitalvault.policy.consent;

import java.util.UUID;
import org.vitalvault.policy.internal.Checks;

/**
 * Who a grant is given to: one researcher organisation, any researcher for one purpose, or a co-op
 * (which then is the counterparty of leases over its members).
 *
 * <p>A request addressed to a co-op (its cohort filter names the co-op) is admitted only by grants
 * to that co-op; a request not addressed to a co-op only by grants to its researcher or to its
 * purpose. So a co-op member's data reaches a researcher either through the co-op, on the co-op's
 * terms, or through the member's own grant, on the member's own terms, and never mixes the two.
 */
public sealed interface Audience permits Audience.Researcher, Audience.AnyResearcherFor, Audience.Coop {

    /**
     * True when a lease request by {@code researcher} for {@code purpose}, addressed to {@code coop}
     * ({@code null} when not addressed to a co-op), is for this audience.
     */
    boolean admits(UUID researcher, Purpose purpose, UUID coop);

    /**
     * One researcher organisation.
     *
     * @param organisation the organisation's id
     */
    record Researcher(UUID organisation) implements Audience {
        public Researcher {
            Checks.given("audience organisation", organisation);
        }

        @Override
        public boolean admits(UUID researcher, Purpose purpose, UUID coop) {
            return coop == null && organisation.equals(researcher);
        }
    }

    /**
     * Any researcher organisation, for one purpose.
     *
     * @param purpose the one purpose
     */
    record AnyResearcherFor(Purpose purpose) implements Audience {
        public AnyResearcherFor {
            Checks.oneOf("audience purpose", purpose, Purpose.class);
        }

        @Override
        public boolean admits(UUID researcher, Purpose requested, UUID coop) {
            return coop == null && purpose == requested;
        }
    }

    /**
     * A co-op: its leases, on its standing terms narrowed by the member's own.
     *
     * @param coop the co-op's id
     */
    record Coop(UUID coop) implements Audience {
        public Coop {
            Checks.given("audience coop", coop);
        }

        @Override
        public boolean admits(UUID researcher, Purpose purpose, UUID requestedCoop) {
            return coop.equals(requestedCoop);
        }
    }
}
