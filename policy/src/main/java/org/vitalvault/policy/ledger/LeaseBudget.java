package org.vitalvault.policy.ledger;

import java.math.BigDecimal;
import java.util.UUID;
import org.vitalvault.policy.internal.Checks;

/**
 * One lease's privacy budget under sequential composition: the ε of its releases add up, and a
 * release that would take the total past the lease's ε is refused. Immutable; {@link #spend} returns
 * the budget after the release. Amounts are exact decimals, so repeated small releases cannot creep
 * past the total through rounding.
 *
 * @param lease the lease
 * @param total the lease's ε (the effective ε of its decision)
 * @param spent the ε its releases have spent, from 0 to {@code total}
 */
public record LeaseBudget(UUID lease, BigDecimal total, BigDecimal spent) {

    public LeaseBudget {
        Checks.given("lease", lease);
        Checks.given("total", total);
        Checks.given("spent", spent);
        if (total.signum() <= 0 || spent.signum() < 0 || spent.compareTo(total) > 0) {
            throw new IllegalArgumentException("a lease budget needs total > 0 and 0 ≤ spent ≤ total");
        }
        total = total.stripTrailingZeros();
        spent = spent.stripTrailingZeros();
    }

    /** A budget of {@code total} with nothing spent. */
    public static LeaseBudget open(UUID lease, double total) {
        return new LeaseBudget(lease, BigDecimal.valueOf(Checks.positive("total", total)), BigDecimal.ZERO);
    }

    /** The ε left. */
    public double remaining() {
        return total.subtract(spent).doubleValue();
    }

    /** True when a release of {@code epsilon} fits in what is left. */
    public boolean allows(double epsilon) {
        return Double.isFinite(epsilon) && epsilon > 0 && spent.add(BigDecimal.valueOf(epsilon)).compareTo(total) <= 0;
    }

    /**
     * The budget after a release of {@code epsilon}.
     *
     * @throws BudgetExceededException when it does not fit
     */
    public LeaseBudget spend(double epsilon) {
        Checks.positive("epsilon", epsilon);
        if (!allows(epsilon)) {
            throw new BudgetExceededException("the lease has ε " + remaining() + " left; the release asks for " + epsilon);
        }
        return new LeaseBudget(lease, total, spent.add(BigDecimal.valueOf(epsilon)));
    }
}
