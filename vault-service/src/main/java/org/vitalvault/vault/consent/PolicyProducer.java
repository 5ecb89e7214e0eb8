package org.vitalvault.vault.consent;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import org.vitalvault.policy.consent.SystemPolicy;
import org.vitalvault.policy.lease.ConsentPolicyEngine;
import org.vitalvault.policy.lease.LeaseApproval;
import org.vitalvault.policy.lease.PolicyEngine;
import org.vitalvault.policy.release.ReleaseLimits;
import org.vitalvault.vault.config.VaultConfig;

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

    /** What one query may ask for ({@code vitalvault.policy.*-per-query}, {@code max-released-numbers}). */
    @Produces
    @Singleton
    ReleaseLimits releaseLimits(VaultConfig config) {
        VaultConfig.Policy p = config.policy();
        ReleaseLimits limits = new ReleaseLimits(p.minEpsilonPerQuery(), p.maxEpsilonPerQuery(), p.maxReleasedNumbers());
        if (limits.maxEpsilon() > p.maxEpsilonPerLease()) {
            throw new IllegalArgumentException("vitalvault.policy.max-epsilon-per-query must not exceed max-epsilon-per-lease");
        }
        return limits;
    }

    /** The noisy lease approval, at {@code vitalvault.policy.lease-request-epsilon} per request. */
    @Produces
    @Singleton
    LeaseApproval leaseApproval(VaultConfig config) {
        VaultConfig.Policy p = config.policy();
        if (p.leaseRequestEpsilon() > p.discoveryEpsilonPerYear()) {
            throw new IllegalArgumentException("vitalvault.policy.lease-request-epsilon must not exceed discovery-epsilon-per-year");
        }
        return new LeaseApproval(new SecureRandom(), p.leaseRequestEpsilon());
    }
}
