package org.vitalvault.policy.consent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vitalvault.policy.Fixtures.COOP;
import static org.vitalvault.policy.Fixtures.OTHER_COOP;
import static org.vitalvault.policy.Fixtures.day;
import static org.vitalvault.policy.Fixtures.days;
import static org.vitalvault.policy.Fixtures.owner;
import static org.vitalvault.policy.Fixtures.terms;

import org.junit.jupiter.api.Test;

class CoopTermsTest {

    private final CoopTerms coop = new CoopTerms(COOP, terms().finest(Granularity.DAY).k(15).validity(days(-100, 100)).build());

    @Test
    void aMemberAdoptsTheStandingTermsFromJoiningUntilLeaving() {
        ConsentGrant g = coop.adoptedBy(new CoopMembership(owner(1), COOP, day(-10), day(20), null)).orElseThrow();
        assertEquals(new Audience.Coop(COOP), g.audience());
        assertEquals(days(-10, 100), g.terms().validity());
        assertEquals(day(20), g.revokedAt());
        assertEquals(owner(1), g.owner());
        assertEquals(g.id(), coop.adoptedBy(new CoopMembership(owner(1), COOP, day(-10), day(20), null)).orElseThrow().id(),
                "the derived grant id is stable");
    }

    @Test
    void aMembersStricterOwnTermsWin() {
        Terms own = terms().finest(Granularity.WEEK).k(12).epsilon(0.2, 1).build();
        Terms t = coop.adoptedBy(new CoopMembership(owner(1), COOP, day(-10), null, own)).orElseThrow().terms();
        assertEquals(Granularity.WEEK, t.granularity());
        assertEquals(15, t.minimumCohort(), "the co-op's larger k still wins");
        assertEquals(0.2, t.epsilonPerLease());
    }

    @Test
    void ownTermsLooserThanTheCoopsAreRejectedWhenSetExplicitly() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> coop.requireNoLooserThanCoop(terms().finest(Granularity.HOUR).k(15).validity(days(-100, 100)).build()));
        assertEquals("granularity allows more than the co-op's standing terms (HOUR where the co-op allows DAY)", e.getMessage());
    }

    @Test
    void aMembershipOfAnotherCoopIsACallerError() {
        assertThrows(IllegalArgumentException.class, () -> coop.adoptedBy(new CoopMembership(owner(1), OTHER_COOP, day(0), null, null)));
    }

    @Test
    void ownTermsWithNothingInCommonYieldNoGrant() {
        assertTrue(coop.adoptedBy(new CoopMembership(owner(1), COOP, day(0), null, terms().metrics("steps").build())).isEmpty());
    }
}
