package org.vitalvault.vault.consent;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.vitalvault.policy.consent.SystemPolicy;
import org.vitalvault.policy.lease.ConsentPolicyEngine;
import org.vitalvault.policy.lease.PolicyEngine;

/**
 * The deployment's system terms and the policy engine, as beans: the owner REST validates new
 * terms against the same {@link SystemPolicy} the engine decides under.
 */
@ApplicationScoped
public class PolicyProducer {

    /**
     * The deployment's system terms ({@code vitalvault.policy.*}); the defaults are the policy
     * module's (k = 11, ε ≤ 2 per lease, ≤ 10 per rolling year, leases up to 366 days). A value
     * below the floor (k under 11) stops the vault at start-up rather than weakening a promise.
     * A singleton, not a proxied scope: the value is an immutable record.
     */
    @Produces
    @Singleton
    SystemPolicy systemPolicy(
            @ConfigProperty(name = "vitalvault.policy.minimum-cohort", defaultValue = "11") int minimumCohort,
            @ConfigProperty(name = "vitalvault.policy.max-epsilon-per-lease", defaultValue = "2.0") double perLease,
            @ConfigProperty(name = "vitalvault.policy.max-epsilon-per-year", defaultValue = "10.0") double perYear,
            @ConfigProperty(name = "vitalvault.policy.max-lease-period", defaultValue = "P366D") Duration maxLease) {
        return new SystemPolicy(minimumCohort, perLease, perYear, maxLease);
    }

    @Produces
    @Singleton
    PolicyEngine policyEngine(SystemPolicy system) {
        return new ConsentPolicyEngine(system);
    }
}
