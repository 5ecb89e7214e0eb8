package org.vitalvault.policy.consent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.vitalvault.policy.internal.Checks;

/**
 * The terms of a consent: what may be used, for which purposes, at what detail, over which data and
 * when, under which privacy limits and at what price. An owner's {@link ConsentGrant} and a co-op's
 * standing {@link CoopTerms} both carry terms, so "the stricter term wins" is defined once, here.
 *
 * <p>Terms form a lattice ordered by strictness, and {@link #narrowedBy(Terms)} is its meet: fewer
 * purposes, metrics and kinds (the intersection), a coarser finest granularity, a later start and an
 * earlier end of both windows, a larger minimum cohort, smaller privacy-loss limits and a dearer
 * price tier. The meet is at least as strict as each side, and is the loosest terms that are.
 *
 * @param purposes          HL7 PurposeOfUse codes the data may be used for (at least one)
 * @param metrics           metric codes of the catalogue (at least one)
 * @param kinds             aggregate kinds allowed (at least one)
 * @param granularity the finest time bucket allowed; coarser buckets are allowed too
 * @param dataWindow        the span of readings covered, by reading time
 * @param validity          when the consent may be used, by the time of use
 * @param minimumCohort     the smallest cohort the data may count in, at least {@link SystemPolicy#SMALL_CELL_MINIMUM}
 * @param epsilonPerLease   the most privacy loss ε one lease may spend on this owner
 * @param epsilonPerYear    the most privacy loss ε all leases together may spend on this owner in 365 days
 * @param priceTier         the price level asked
 */
public record Terms(Set<Purpose> purposes, Set<String> metrics, Set<AggregateKind> kinds,
                    Granularity granularity, TimeWindow dataWindow, TimeWindow validity,
                    int minimumCohort, double epsilonPerLease, double epsilonPerYear, PriceTier priceTier) {

    public Terms {
        purposes = Checks.nonEmptyEnumSet("purposes", purposes, Purpose.class);
        metrics = Checks.metricCodes("metrics", metrics);
        kinds = Checks.nonEmptyEnumSet("kinds", kinds, AggregateKind.class);
        Checks.oneOf("granularity", granularity, Granularity.class);
        TimeWindow.requireNonEmpty("dataWindow", dataWindow);
        TimeWindow.requireNonEmpty("validity", validity);
        if (minimumCohort < SystemPolicy.SMALL_CELL_MINIMUM) {
            throw new IllegalArgumentException("minimumCohort must be at least " + SystemPolicy.SMALL_CELL_MINIMUM
                    + " (the system minimum), was " + minimumCohort);
        }
        Checks.positive("epsilonPerLease", epsilonPerLease);
        Checks.positive("epsilonPerYear", epsilonPerYear);
        if (epsilonPerLease > epsilonPerYear) {
            throw new IllegalArgumentException("epsilonPerLease (" + epsilonPerLease
                    + ") must not exceed epsilonPerYear (" + epsilonPerYear + ")");
        }
        Checks.oneOf("priceTier", priceTier, PriceTier.class);
    }

    /**
     * Both terms at once: for every term the stricter one. Empty when they admit nothing together
     * (no common purpose, metric or kind, or windows that do not overlap).
     */
    public Optional<Terms> narrowedBy(Terms other) {
        Set<Purpose> p = EnumSet.noneOf(Purpose.class);
        p.addAll(purposes);
        p.retainAll(other.purposes);
        Set<String> m = new TreeSet<>(metrics);
        m.retainAll(other.metrics);
        Set<AggregateKind> k = EnumSet.noneOf(AggregateKind.class);
        k.addAll(kinds);
        k.retainAll(other.kinds);
        TimeWindow data = dataWindow.intersect(other.dataWindow);
        TimeWindow valid = validity.intersect(other.validity);
        if (p.isEmpty() || m.isEmpty() || k.isEmpty() || data.isEmpty() || valid.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Terms(p, m, k, Granularity.coarser(granularity, other.granularity),
                data, valid, Math.max(minimumCohort, other.minimumCohort),
                Math.min(epsilonPerLease, other.epsilonPerLease), Math.min(epsilonPerYear, other.epsilonPerYear),
                PriceTier.dearer(priceTier, other.priceTier)));
    }

    /** These terms used only within {@code span}; empty when the validity does not overlap it. */
    public Optional<Terms> validWithin(TimeWindow span) {
        TimeWindow valid = validity.intersect(span);
        if (valid.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Terms(purposes, metrics, kinds, granularity, dataWindow, valid, minimumCohort,
                epsilonPerLease, epsilonPerYear, priceTier));
    }

    /** True when no term of these is looser than the same term of {@code other}. */
    public boolean isAtLeastAsStrictAs(Terms other) {
        return fieldsLooserThan(other).isEmpty();
    }

    /** The names of the fields in which these terms allow more than {@code other}, in declaration order. */
    public List<String> fieldsLooserThan(Terms other) {
        List<String> looser = new ArrayList<>();
        if (!other.purposes.containsAll(purposes)) {
            looser.add("purposes");
        }
        if (!other.metrics.containsAll(metrics)) {
            looser.add("metrics");
        }
        if (!other.kinds.containsAll(kinds)) {
            looser.add("kinds");
        }
        if (!granularity.isAtLeastAsCoarseAs(other.granularity)) {
            looser.add("granularity");
        }
        if (!other.dataWindow.covers(dataWindow)) {
            looser.add("dataWindow");
        }
        if (!other.validity.covers(validity)) {
            looser.add("validity");
        }
        if (minimumCohort < other.minimumCohort) {
            looser.add("minimumCohort");
        }
        if (epsilonPerLease > other.epsilonPerLease) {
            looser.add("epsilonPerLease");
        }
        if (epsilonPerYear > other.epsilonPerYear) {
            looser.add("epsilonPerYear");
        }
        if (priceTier.compareTo(other.priceTier) < 0) {
            looser.add("priceTier");
        }
        return Collections.unmodifiableList(looser);
    }

    /**
     * These terms, when their validity has not ended at {@code now}; for new and amended grants.
     *
     * @throws IllegalArgumentException naming {@code validity} when it ends at or before {@code now}
     */
    public Terms requireValidityNotEndedAt(Instant now) {
        if (!validity.until().isAfter(now)) {
            throw new IllegalArgumentException("validity must not end in the past (until " + validity.until() + ")");
        }
        return this;
    }
}
