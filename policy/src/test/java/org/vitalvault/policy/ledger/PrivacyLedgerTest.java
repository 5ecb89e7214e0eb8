package org.vitalvault.policy.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vitalvault.policy.Fixtures.day;
import static org.vitalvault.policy.Fixtures.owner;

import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PrivacyLedgerTest {

    private static final UUID LEASE = new UUID(1, 1);
    private static final UUID OTHER_LEASE = new UUID(1, 2);
    private static final OwnerCaps CAPS = new OwnerCaps(1.0, 2.0);

    @Test
    void chargesAddUpWithinTheYearAndAgeOutAfterIt() {
        PrivacyLedger l = PrivacyLedger.empty().charge(LEASE, Map.of(owner(0), CAPS), 0.5, day(0));
        assertEquals(0.5, l.spentInYear(owner(0), day(0)));
        assertEquals(0.5, l.spentInYear(owner(0), day(364)));
        assertEquals(0.0, l.spentInYear(owner(0), day(365)));
        assertEquals(1.5, l.remainingInYear(owner(0), 2.0, day(10)));
    }

    @Test
    void aChargePastTheYearlyCapIsRefusedForEveryoneInIt() {
        PrivacyLedger l = PrivacyLedger.empty()
                .charge(LEASE, Map.of(owner(0), CAPS), 1.0, day(0))
                .charge(OTHER_LEASE, Map.of(owner(0), CAPS), 1.0, day(1));
        BudgetExceededException e = assertThrows(BudgetExceededException.class,
                () -> l.charge(new UUID(1, 3), Map.of(owner(0), CAPS, owner(1), CAPS), 0.1, day(2)));
        assertTrue(e.getMessage().contains("yearly cap of 2.0"));
        assertFalse(e.getMessage().contains(owner(0).toString()), "no owner id in messages");
        assertEquals(0.0, l.spentInYear(owner(1), day(2)), "nobody is charged when one owner cannot afford it");
    }

    @Test
    void aChargePastThePerLeaseCapIsRefused() {
        PrivacyLedger l = PrivacyLedger.empty().charge(LEASE, Map.of(owner(0), CAPS), 0.75, day(0));
        assertFalse(l.canAfford(owner(0), LEASE, 0.5, CAPS, day(1)));
        assertTrue(l.canAfford(owner(0), OTHER_LEASE, 0.5, CAPS, day(1)));
        assertTrue(l.canAfford(owner(0), LEASE, 0.25, CAPS, day(1)));
    }

    @Test
    void aChargeTooSmallToChangeADoubleSumStillCounts() {
        // In doubles 1.0 + 1e-17 == 1.0, so double bookkeeping would accept such charges forever.
        OwnerCaps caps = new OwnerCaps(1.0, 1.0);
        PrivacyLedger l = PrivacyLedger.empty().charge(LEASE, Map.of(owner(0), caps), 1.0, day(0));
        assertFalse(l.canAfford(owner(0), OTHER_LEASE, 1e-17, new OwnerCaps(1.0, 1.0), day(0)));
        assertEquals(0.0, l.remainingInYear(owner(0), 1.0, day(0)));
    }

    @Test
    void aLateChargeIsCheckedAgainstTheWindowsOfLaterCharges() {
        PrivacyLedger l = PrivacyLedger.empty().charge(LEASE, Map.of(owner(0), CAPS), 1.0, day(100));
        l = l.charge(OTHER_LEASE, Map.of(owner(0), CAPS), 1.0, day(300));
        // A charge recorded at day 250 would put the window ending at day 300 at 3.0.
        assertFalse(l.canAfford(owner(0), new UUID(1, 3), 0.5, CAPS, day(250)));
        // At day 500 the window (135, 500] holds only the day-300 charge.
        assertTrue(l.canAfford(owner(0), new UUID(1, 3), 0.5, CAPS, day(500)));
    }

    @Test
    void affordableListsOnlyTheOwnersWhoCanPay() {
        PrivacyLedger l = PrivacyLedger.empty().charge(LEASE, Map.of(owner(0), CAPS), 2.0 / 2, day(0))
                .charge(OTHER_LEASE, Map.of(owner(0), CAPS), 1.0, day(0));
        assertEquals(java.util.Set.of(owner(1)), l.affordable(Map.of(owner(0), CAPS, owner(1), CAPS), new UUID(5, 5), 0.5, day(1)));
    }

    @Test
    void aLedgerRebuiltFromItsEntriesIsEqual() {
        PrivacyLedger l = PrivacyLedger.empty().charge(LEASE, Map.of(owner(0), CAPS, owner(1), CAPS), 0.5, day(0));
        assertEquals(l, PrivacyLedger.of(l.entries()));
        assertEquals(2, l.entries().size());
    }
}
