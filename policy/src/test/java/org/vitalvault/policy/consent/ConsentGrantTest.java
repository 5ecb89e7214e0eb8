package org.vitalvault.policy.consent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vitalvault.policy.Fixtures.day;
import static org.vitalvault.policy.Fixtures.owner;
import static org.vitalvault.policy.Fixtures.terms;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class ConsentGrantTest {

    @Test
    void aGrantToAnyResearcherForAPurposeMustListThatPurpose() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ConsentGrant(new UUID(1, 1), owner(0),
                new Audience.AnyResearcherFor(Purpose.CLINTRCH), terms().purposes(Purpose.HRESCH).build(), null));
        assertEquals("audience purpose CLINTRCH must be among purposes [HRESCH]", e.getMessage());
    }

    @Test
    void aGrantIsOutOfForceFromTheInstantOfRevocation() {
        ConsentGrant g = new ConsentGrant(new UUID(1, 1), owner(0), new Audience.Researcher(new UUID(2, 2)), terms().build(), day(5));
        assertTrue(g.isInForceAt(day(5).minusNanos(1)));
        assertFalse(g.isInForceAt(day(5)));
        assertEquals(day(5), g.revoked(day(7)).revokedAt(), "an earlier revocation stands");
        assertEquals(day(3), g.revoked(day(3)).revokedAt());
    }

    @Test
    void missingPartsAreRejectedByName() {
        assertEquals("owner must be given", assertThrows(IllegalArgumentException.class,
                () -> new ConsentGrant(new UUID(1, 1), null, new Audience.Coop(new UUID(3, 3)), terms().build(), null)).getMessage());
        assertEquals("audience must be given", assertThrows(IllegalArgumentException.class,
                () -> new ConsentGrant(new UUID(1, 1), owner(0), null, terms().build(), null)).getMessage());
    }
}
