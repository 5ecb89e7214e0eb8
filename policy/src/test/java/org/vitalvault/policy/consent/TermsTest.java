package org.vitalvault.policy.consent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vitalvault.policy.Fixtures.day;
import static org.vitalvault.policy.Fixtures.days;
import static org.vitalvault.policy.Fixtures.terms;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.vitalvault.policy.Fixtures.TermsSpec;

class TermsTest {

    private static String rejection(TermsSpec spec) {
        Executable build = spec::build;
        return assertThrows(IllegalArgumentException.class, build).getMessage();
    }

    @Test
    void anUnknownMetricIsRejectedNamingTheFieldAndTheKnownOnes() {
        String m = rejection(terms().metrics("heart_rate", "mood"));
        assertTrue(m.startsWith("metrics: unknown metric 'mood'; the catalogue has heart_rate, spo2"), m);
    }

    @Test
    void epsilonAtOrBelowZeroIsRejected() {
        assertEquals("epsilonPerLease must be a finite number greater than 0, was 0.0", rejection(terms().epsilon(0, 1)));
        assertEquals("epsilonPerYear must be a finite number greater than 0, was -1.0", rejection(terms().epsilon(1, -1)));
        assertEquals("epsilonPerLease must be a finite number greater than 0, was NaN", rejection(terms().epsilon(Double.NaN, 1)));
    }

    @Test
    void aPerLeaseCapAboveTheYearlyCapIsRejected() {
        assertEquals("epsilonPerLease (2.0) must not exceed epsilonPerYear (1.0)", rejection(terms().epsilon(2, 1)));
    }

    @Test
    void aMinimumCohortBelowTheSystemMinimumIsRejected() {
        assertEquals("minimumCohort must be at least 11 (the system minimum), was 5", rejection(terms().k(5)));
    }

    @Test
    void aValidityEndingBeforeItStartsIsRejected() {
        assertEquals("validity must end after it starts (from 2026-01-11T00:00:00Z, until 2026-01-01T00:00:00Z)",
                rejection(terms().validity(days(10, 0))));
        assertTrue(rejection(terms().dataWindow(days(0, 0))).startsWith("dataWindow must end after it starts"));
    }

    @Test
    void missingValuesAreRejectedNamingTheAllowedOnes() {
        assertEquals("purposes must name at least one of HRESCH, CLINTRCH, PUBHLTH, POPHLTH, PATRQT", rejection(terms().purposes()));
        assertEquals("kinds must name at least one of COUNT, MEAN, SUM, STDDEV, QUANTILES, HISTOGRAM", rejection(terms().kinds()));
        assertEquals("granularity must be one of HOUR, DAY, WEEK, MONTH", rejection(terms().finest(null)));
        assertEquals("priceTier must be one of COMMUNITY, STANDARD, PREMIUM", rejection(terms().tier(null)));
        assertEquals("validity must be given", rejection(terms().validity(null)));
    }

    @Test
    void aValidityThatEndedIsRejectedForNewGrants() {
        Terms t = terms().validity(days(-30, 0)).build();
        assertEquals("validity must not end in the past (until 2026-01-01T00:00:00Z)",
                assertThrows(IllegalArgumentException.class, () -> t.requireValidityNotEndedAt(day(0))).getMessage());
        assertEquals(t, t.requireValidityNotEndedAt(day(-1)));
    }

    @Test
    void narrowingTakesTheStricterOfEveryTerm() {
        Terms owner = terms().purposes(Purpose.HRESCH, Purpose.PUBHLTH).metrics("heart_rate", "spo2")
                .kinds(AggregateKind.MEAN, AggregateKind.COUNT).finest(Granularity.HOUR).dataWindow(days(-100, 10))
                .validity(days(-10, 100)).k(20).epsilon(0.5, 5).tier(PriceTier.COMMUNITY).build();
        Terms coop = terms().purposes(Purpose.HRESCH, Purpose.CLINTRCH).metrics("heart_rate", "steps")
                .kinds(AggregateKind.MEAN, AggregateKind.SUM).finest(Granularity.DAY).dataWindow(days(-50, 50))
                .validity(days(-20, 60)).k(15).epsilon(1, 2).tier(PriceTier.PREMIUM).build();
        Terms both = owner.narrowedBy(coop).orElseThrow();
        assertEquals(Set.of(Purpose.HRESCH), both.purposes());
        assertEquals(Set.of("heart_rate"), both.metrics());
        assertEquals(Set.of(AggregateKind.MEAN), both.kinds());
        assertEquals(Granularity.DAY, both.granularity());
        assertEquals(days(-50, 10), both.dataWindow());
        assertEquals(days(-10, 60), both.validity());
        assertEquals(20, both.minimumCohort());
        assertEquals(0.5, both.epsilonPerLease());
        assertEquals(2.0, both.epsilonPerYear());
        assertEquals(PriceTier.PREMIUM, both.priceTier());
        assertEquals(both, coop.narrowedBy(owner).orElseThrow(), "narrowing is symmetric");
        assertTrue(both.isAtLeastAsStrictAs(owner) && both.isAtLeastAsStrictAs(coop));
    }

    @Test
    void termsWithNothingInCommonNarrowToNothing() {
        assertTrue(terms().metrics("spo2").build().narrowedBy(terms().metrics("heart_rate").build()).isEmpty());
        assertTrue(terms().validity(days(0, 10)).build().narrowedBy(terms().validity(days(10, 20)).build()).isEmpty());
    }

    @Test
    void looserFieldsAreListedByName() {
        Terms strict = terms().finest(Granularity.DAY).k(20).build();
        Terms loose = terms().finest(Granularity.HOUR).k(11).build();
        assertEquals(List.of("granularity", "minimumCohort"), loose.fieldsLooserThan(strict));
        assertFalse(loose.isAtLeastAsStrictAs(strict));
        assertTrue(strict.isAtLeastAsStrictAs(loose));
    }
}
