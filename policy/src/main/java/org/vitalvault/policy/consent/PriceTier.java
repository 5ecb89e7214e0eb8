package org.vitalvault.policy.consent;

import org.vitalvault.policy.internal.Checks;

/**
 * The price level an owner asks for their data. A higher tier is the stricter term (it costs a
 * lessee more), so combining terms keeps the higher one. The rates are in
 * {@code org.vitalvault.policy.lease.PriceTable}.
 */
public enum PriceTier {
    /** No charge: data donated for the audience's use. */
    COMMUNITY,
    /** The usual rate. */
    STANDARD,
    /** Four times the usual rate. */
    PREMIUM;

    /**
     * @throws IllegalArgumentException naming the allowed values when {@code name} is not one of them
     */
    public static PriceTier of(String name) {
        for (PriceTier t : values()) {
            if (t.name().equalsIgnoreCase(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("priceTier must be one of " + Checks.allowed(PriceTier.class));
    }

    /** The stricter (dearer) of two tiers. */
    public static PriceTier dearer(PriceTier a, PriceTier b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
