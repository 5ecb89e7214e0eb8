package org.vitalvault.policy.lease;

/**
 * What a lease costs, in euro cents: the sum of its participants' credits (see {@link PriceTable}).
 *
 * @param euroCents the amount, never negative
 */
public record Price(long euroCents) {

    /** Nothing to pay. */
    public static final Price ZERO = new Price(0);

    public Price {
        if (euroCents < 0) {
            throw new IllegalArgumentException("euroCents must not be negative");
        }
    }
}
