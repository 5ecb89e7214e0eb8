package org.vitalvault.policy.ledger;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;
import org.vitalvault.policy.Fixtures;

class PrivacyLedgerPropertyTest {

    /**
     * Any sequence of charges — owners in random groups, ε of random sizes, times in random order
     * over two years, several leases — leaves every owner's every 365-day window within the yearly
     * cap and every (owner, lease) within the per-lease cap, summed exactly. Refused charges are
     * expected (the caps are small), and happen.
     */
    @Property(tries = 1000)
    void noLedgerExceedsItsCap(@ForAll long seed) {
        Random r = new Random(seed);
        int owners = 1 + r.nextInt(6);
        Map<UUID, OwnerCaps> caps = new HashMap<>();
        for (int i = 0; i < owners; i++) {
            double perLease = new double[] {0.3, 0.5, 1, 2}[r.nextInt(4)];
            caps.put(Fixtures.owner(i), new OwnerCaps(perLease, perLease * (1 + r.nextInt(4))));
        }
        PrivacyLedger ledger = PrivacyLedger.empty();
        int refused = 0;
        int attempts = 5 + r.nextInt(40);
        for (int a = 0; a < attempts; a++) {
            Map<UUID, OwnerCaps> group = new HashMap<>();
            caps.forEach((o, c) -> {
                if (r.nextInt(3) > 0) {
                    group.put(o, c);
                }
            });
            if (group.isEmpty()) {
                continue;
            }
            double epsilon = new double[] {0.1, 0.2, 0.3, 0.25, 0.7, 1.0 / 3}[r.nextInt(6)];
            Instant at = Fixtures.day(r.nextInt(730)).plus(Duration.ofHours(r.nextInt(24)));
            UUID lease = new UUID(0x1EA5EL, r.nextInt(4));
            try {
                ledger = ledger.charge(lease, group, epsilon, at);
            } catch (BudgetExceededException e) {
                refused++;
            }
        }
        Statistics.label("some charge refused").collect(refused > 0);
        Statistics.label("some charge refused").coverage(c -> c.check(true).percentage(p -> p > 30));

        for (Map.Entry<UUID, OwnerCaps> c : caps.entrySet()) {
            var entries = ledger.entriesOf(c.getKey());
            for (LedgerEntry end : entries) {
                BigDecimal window = BigDecimal.ZERO;
                for (LedgerEntry e : entries) {
                    if (e.at().isAfter(end.at().minus(PrivacyLedger.YEAR)) && !e.at().isAfter(end.at())) {
                        window = window.add(BigDecimal.valueOf(e.epsilon()));
                    }
                }
                assertTrue(window.compareTo(BigDecimal.valueOf(c.getValue().epsilonPerYear())) <= 0,
                        "yearly cap exceeded in the window ending " + end.at() + "; seed " + seed);
                BigDecimal lease = BigDecimal.ZERO;
                for (LedgerEntry e : entries) {
                    if (e.lease().equals(end.lease())) {
                        lease = lease.add(BigDecimal.valueOf(e.epsilon()));
                    }
                }
                assertTrue(lease.compareTo(BigDecimal.valueOf(c.getValue().epsilonPerLease())) <= 0,
                        "per-lease cap exceeded; seed " + seed);
            }
        }
    }

    /** The same for a lease's own budget: no sequence of releases spends more than its total. */
    @Property(tries = 1000)
    void noLeaseBudgetExceedsItsTotal(@ForAll long seed) {
        Random r = new Random(seed);
        double total = new double[] {0.3, 1, 2}[r.nextInt(3)];
        LeaseBudget budget = LeaseBudget.open(new UUID(1, 1), total);
        BigDecimal spent = BigDecimal.ZERO;
        for (int i = 0; i < 30; i++) {
            double e = new double[] {0.1, 0.2, 0.05, 1.0 / 3}[r.nextInt(4)];
            if (budget.allows(e)) {
                budget = budget.spend(e);
                spent = spent.add(BigDecimal.valueOf(e));
            }
        }
        assertTrue(spent.compareTo(BigDecimal.valueOf(total)) <= 0);
        assertTrue(budget.spent().compareTo(budget.total()) <= 0);
    }
}
