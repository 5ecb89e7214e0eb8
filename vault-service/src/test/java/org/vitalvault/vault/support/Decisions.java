package org.vitalvault.vault.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.vitalvault.policy.consent.AggregateKind;
import org.vitalvault.policy.consent.ConsentGrant;
import org.vitalvault.policy.consent.Granularity;
import org.vitalvault.policy.consent.Purpose;
import org.vitalvault.policy.consent.SystemPolicy;
import org.vitalvault.policy.consent.TimeWindow;
import org.vitalvault.policy.lease.CohortFilter;
import org.vitalvault.policy.lease.LeaseDecision;
import org.vitalvault.policy.lease.LeaseRequest;
import org.vitalvault.policy.lease.PolicyEngine;
import org.vitalvault.policy.ledger.PrivacyLedger;
import org.vitalvault.vault.attributes.SharedAttributesStore;
import org.vitalvault.vault.consent.ConsentStore;
import org.vitalvault.vault.ledger.LedgerStore;

/**
 * A lease decision as issue 6 will make one at every query: grants and ledger loaded from the
 * database through the stores, then the policy engine, at the current time.
 */
public final class Decisions {

    /** The purpose of every "any researcher for a purpose" grant in the tests. */
    public static final String SHARED_PURPOSE = "PUBHLTH";

    private Decisions() {
    }

    /** Means of heart rate over the last 30 days, for 30 days, ε 1, purpose HRESCH. */
    public static LeaseRequest request(UUID researcher, Granularity granularity, CohortFilter cohort) {
        return request(researcher, Purpose.HRESCH, granularity, cohort);
    }

    /**
     * The same for another purpose. Every test database is shared by all test classes, and a grant to
     * "any researcher for a purpose" counts in every request with that purpose: tests that make such
     * grants use {@link #SHARED_PURPOSE}, never HRESCH, so researcher-addressed decisions see only
     * their own test's owners.
     */
    public static LeaseRequest request(UUID researcher, Purpose purpose, Granularity granularity, CohortFilter cohort) {
        Instant now = Instant.now();
        return new LeaseRequest(researcher, purpose, Set.of("heart_rate"), Set.of(AggregateKind.MEAN), granularity,
                new TimeWindow(now.minus(Duration.ofDays(30)), now), new TimeWindow(now, now.plus(Duration.ofDays(30))), 1.0,
                cohort);
    }

    public static LeaseDecision decide(LeaseRequest request, ConsentStore consent, LedgerStore ledgers, PolicyEngine engine) {
        return decide(request, consent, null, ledgers, engine);
    }

    /** As the vault decides: grants, the attributes owners share (when {@code attributes} is given) and ledgers. */
    public static LeaseDecision decide(LeaseRequest request, ConsentStore consent, SharedAttributesStore attributes,
                                       LedgerStore ledgers, PolicyEngine engine) {
        Clock clock = Clock.systemUTC();
        List<ConsentGrant> grants = consent.grantsFor(request);
        Set<UUID> owners = grants.stream().map(ConsentGrant::owner).collect(Collectors.toSet());
        PrivacyLedger ledger = ledgers.ledgerOf(owners,
                clock.instant().minus(PrivacyLedger.YEAR).minus(SystemPolicy.DEFAULT.maxLeasePeriod()));
        return engine.decide(request, grants, attributes == null ? Map.of() : attributes.forOwners(owners), ledger, clock);
    }
}
