package org.vitalvault.vault.consent;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.vitalvault.vault.config.VaultConfig;
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
     * The deployment's system terms ({@code vitalvault.policy.*}, {@link VaultConfig.Policy}). A
     * singleton, not a proxied scope: the value is an immutable record.
     */
    @Produces
    @Singleton
    SystemPolicy systemPolicy(VaultConfig config) {
        VaultConfig.Policy p = config.policy();
        return new SystemPolicy(p.minimumCohort(), p.maxEpsilonPerLease(), p.maxEpsilonPerYear(), p.maxLeasePeriod());
    }

    @Produces
    @Singleton
    PolicyEngine policyEngine(SystemPolicy system) {
        return new ConsentPolicyEngine(system);
    }
}
