package org.vitalvault.policy.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class LeaseBudgetTest {

    private static final UUID LEASE = new UUID(1, 1);

    @Test
    void releasesComposeSequentiallyUntilTheTotalIsSpent() {
        LeaseBudget b = LeaseBudget.open(LEASE, 1.0).spend(0.25).spend(0.25).spend(0.5);
        assertEquals(0.0, b.remaining());
        assertFalse(b.allows(Double.MIN_VALUE));
    }

    @Test
    void aReleaseLargerThanWhatIsLeftIsRefused() {
        LeaseBudget b = LeaseBudget.open(LEASE, 1.0).spend(0.75);
        BudgetExceededException e = assertThrows(BudgetExceededException.class, () -> b.spend(0.5));
        assertEquals("the lease has ε 0.25 left; the release asks for 0.5", e.getMessage());
        assertTrue(b.allows(0.25));
    }

    @Test
    void decimalsAsWrittenSpendABudgetToTheLastDigit() {
        // 1 + 0.9 + 0.1 = 2 as written: the double 0.9 is a little below 0.9 and 0.1 a little above 0.1,
        // so charging their binary expansions left "0.09999999999999998" and refused the last 0.1.
        LeaseBudget b = LeaseBudget.open(LEASE, 2.0).spend(1.0).spend(0.9);
        assertTrue(b.allows(0.1));
        assertEquals(0.0, b.spend(0.1).remaining());
    }

    @Test
    void aBudgetCannotBeOverspentByConstruction() {
        assertThrows(IllegalArgumentException.class,
                () -> new LeaseBudget(LEASE, java.math.BigDecimal.ONE, java.math.BigDecimal.TEN));
    }
}
