package org.vitalvault.vault.consent;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.vitalvault.policy.consent.AggregateKind;
import org.vitalvault.policy.consent.Granularity;
import org.vitalvault.policy.consent.PriceTier;
import org.vitalvault.policy.consent.Purpose;
import org.vitalvault.policy.consent.Terms;
import org.vitalvault.policy.consent.TimeWindow;

/**
 * The twelve terms columns of {@link TermsColumns} as a JPA embeddable, for the entities that hold
 * terms. Values are written and read exactly as {@link TermsColumns} does (enum names, ε as the
 * shortest decimal of the double), and reading goes back through the {@link Terms} constructor,
 * so a row that breaks the policy's rules fails loudly. All twelve null reads as no terms.
 */
@Embeddable
public class TermsFields {

    @Column(name = "purposes")
    public String[] purposes;

    @Column(name = "metrics")
    public String[] metrics;

    @Column(name = "kinds")
    public String[] kinds;

    @Column(name = "finest_granularity")
    public String finestGranularity;

    @Column(name = "data_from")
    public Instant dataFrom;

    @Column(name = "data_until")
    public Instant dataUntil;

    @Column(name = "valid_from")
    public Instant validFrom;

    @Column(name = "valid_until")
    public Instant validUntil;

    @Column(name = "minimum_cohort")
    public Integer minimumCohort;

    @Column(name = "epsilon_per_lease")
    public BigDecimal epsilonPerLease;

    @Column(name = "epsilon_per_year")
    public BigDecimal epsilonPerYear;

    @Column(name = "price_tier")
    public String priceTier;

    /** The columns of {@code t}; null for null (a member without own terms). */
    public static TermsFields of(Terms t) {
        if (t == null) {
            return null;
        }
        TermsFields f = new TermsFields();
        f.purposes = t.purposes().stream().map(Enum::name).toArray(String[]::new);
        f.metrics = t.metrics().toArray(String[]::new);
        f.kinds = t.kinds().stream().map(Enum::name).toArray(String[]::new);
        f.finestGranularity = t.granularity().name();
        f.dataFrom = t.dataWindow().from();
        f.dataUntil = t.dataWindow().until();
        f.validFrom = t.validity().from();
        f.validUntil = t.validity().until();
        f.minimumCohort = t.minimumCohort();
        f.epsilonPerLease = BigDecimal.valueOf(t.epsilonPerLease());
        f.epsilonPerYear = BigDecimal.valueOf(t.epsilonPerYear());
        f.priceTier = t.priceTier().name();
        return f;
    }

    /** The terms; null when the columns are absent. */
    public static Terms toTerms(TermsFields f) {
        if (f == null || f.purposes == null) {
            return null;
        }
        return new Terms(
                Arrays.stream(f.purposes).map(Purpose::ofCode).collect(Collectors.toSet()),
                Set.of(f.metrics),
                Arrays.stream(f.kinds).map(AggregateKind::of).collect(Collectors.toSet()),
                Granularity.of(f.finestGranularity),
                new TimeWindow(f.dataFrom, f.dataUntil),
                new TimeWindow(f.validFrom, f.validUntil),
                f.minimumCohort,
                f.epsilonPerLease.doubleValue(),
                f.epsilonPerYear.doubleValue(),
                PriceTier.of(f.priceTier));
    }
}
