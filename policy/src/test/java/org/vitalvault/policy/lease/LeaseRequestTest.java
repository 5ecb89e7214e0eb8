package org.vitalvault.policy.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vitalvault.policy.Fixtures.days;
import static org.vitalvault.policy.Fixtures.request;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.vitalvault.policy.consent.AgeBand;
import org.vitalvault.policy.consent.OwnerAttributes;
import org.vitalvault.policy.consent.Sex;

class LeaseRequestTest {

    @Test
    void invalidRequestsAreRejectedNamingTheField() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> request().metrics("bogus").build())
                .getMessage().startsWith("metrics: unknown metric 'bogus'"));
        assertEquals("epsilon must be a finite number greater than 0, was 0.0",
                assertThrows(IllegalArgumentException.class, () -> request().epsilon(0).build()).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> request().validity(days(5, 1)).build())
                .getMessage().startsWith("validity must end after it starts"));
        assertEquals("purpose must be one of HRESCH, CLINTRCH, PUBHLTH, POPHLTH, PATRQT",
                assertThrows(IllegalArgumentException.class, () -> request().purpose(null).build()).getMessage());
    }

    @Test
    void noCohortFilterMeansAnyone() {
        LeaseRequest r = new LeaseRequest(request().researcher, request().purpose, Set.of("heart_rate"), request().kinds,
                request().granularity, days(-1, 0), days(0, 1), 1, null);
        assertEquals(CohortFilter.ANYONE, r.cohort());
    }

    @Test
    void anAttributeFilterNeedsEveryFilteredAttributeShared() {
        CohortFilter f = new CohortFilter(null, Set.of(AgeBand.AGE_30_39), Set.of(Sex.FEMALE), Set.of());
        assertTrue(f.admits(new OwnerAttributes(AgeBand.AGE_30_39, Sex.FEMALE, null)));
        assertFalse(f.admits(new OwnerAttributes(AgeBand.AGE_30_39, null, "DE")));
        assertFalse(f.admits(null));
        assertTrue(CohortFilter.ANYONE.admits(null));
    }
}
