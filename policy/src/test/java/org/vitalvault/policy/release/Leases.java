package org.vitalvault.policy.release;

import static org.vitalvault.policy.Fixtures.clockAt;
import static org.vitalvault.policy.Fixtures.day;
import static org.vitalvault.policy.Fixtures.grantToResearcher;
import static org.vitalvault.policy.Fixtures.request;
import static org.vitalvault.policy.Fixtures.terms;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.vitalvault.policy.consent.AggregateKind;
import org.vitalvault.policy.consent.ConsentGrant;
import org.vitalvault.policy.consent.SystemPolicy;
import org.vitalvault.policy.lease.ConsentPolicyEngine;
import org.vitalvault.policy.lease.LeaseDecision;
import org.vitalvault.policy.lease.LeaseRequest;
import org.vitalvault.policy.ledger.PrivacyLedger;

/** Approved leases of heart rate, all kinds, daily, for the release tests. */
final class Leases {

    static final UUID LEASE = new UUID(0x1EA5EL, 0);
    static final SystemPolicy GENEROUS = new SystemPolicy(11, 1000, 10_000, Duration.ofDays(366));

    private Leases() {
    }

    static LeaseRequest allKinds(double epsilon) {
        return request().kinds(AggregateKind.values()).metrics("heart_rate").epsilon(epsilon).build();
    }

    static List<ConsentGrant> owners(int n, double epsilonPerLease, double epsilonPerYear) {
        List<ConsentGrant> grants = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            grants.add(grantToResearcher(i, terms().epsilon(epsilonPerLease, epsilonPerYear).build()));
        }
        return grants;
    }

    /** n owners, caps as given, decided at day 0 under a system that lets the owners' caps bind. */
    static LeaseDecision approved(int n, double epsilon, double epsilonPerLease, double epsilonPerYear) {
        LeaseDecision d = new ConsentPolicyEngine(GENEROUS).decide(allKinds(epsilon), owners(n, epsilonPerLease, epsilonPerYear),
                PrivacyLedger.empty(), clockAt(day(0)));
        if (!d.approved()) {
            throw new IllegalStateException("fixture not approved: " + d.reasons());
        }
        return d;
    }
}
