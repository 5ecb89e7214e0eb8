package org.vitalvault.vault.consent;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.vitalvault.policy.consent.SystemPolicy;
import org.vitalvault.policy.lease.ConsentPolicyEngine;
import org.vitalvault.policy.lease.PolicyEngine;

/**
 * The deployment's system terms and the policy engine, as beans: the owner REST validates new
 * terms against the same {@link SystemPolicy} the engine decides under.
 */
@ApplicationScoped
public class PolicyProducer {

    // Singletons, not proxied scopes: both are immutable final classes. The policy module's default (k = 11, ε ≤ 2 per lease and ≤ 10 per year); not configurable yet.
    @Produces
    @Singleton
    SystemPolicy systemPolicy() {
        return SystemPolicy.DEFAULT;
    }

    @Produces
    @Singleton
    PolicyEngine policyEngine(SystemPolicy system) {
        return new ConsentPolicyEngine(system);
    }
}
