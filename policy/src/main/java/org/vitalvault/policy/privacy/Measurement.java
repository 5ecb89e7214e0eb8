package org.vitalvault.policy.privacy;

import java.math.BigInteger;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import org.vitalvault.policy.consent.AggregateKind;

/**
 * The noisy integer measurements aggregates are computed from, and their sensitivities.
 *
 * <p><b>Unit of privacy: the owner.</b> Neighbouring data sets differ by one owner's data, all of
 * it (add/remove). In each time bucket an owner contributes one value (the caller chooses which,
 * typically the mean of their readings in the bucket), clamped to the metric's clamp bounds
 * {@code [lo, hi]} and rounded to the {@link FixedPointGrid}; one owner therefore changes:
 *
 * <table>
 *   <caption>Sensitivity per measurement (grid units, lo and hi on the grid)</caption>
 *   <tr><th>measurement</th><th>L1 sensitivity</th><th>used by</th></tr>
 *   <tr><td>COUNT of contributors</td><td>1</td><td>COUNT, MEAN, STDDEV</td></tr>
 *   <tr><td>SUM of values</td><td>max(|lo|, |hi|)</td><td>SUM, MEAN, STDDEV</td></tr>
 *   <tr><td>CENTRED_SUM_OF_SQUARES, Σ(x − c)², c = ⌊(lo + hi)/2⌋</td><td>max((lo − c)², (hi − c)²)</td><td>STDDEV</td></tr>
 *   <tr><td>HISTOGRAM, a count per bin of the clamp range</td><td>1 for the whole histogram</td><td>HISTOGRAM, QUANTILES</td></tr>
 * </table>
 *
 * <p>The histogram's bins are disjoint and an owner falls in exactly one, so noise of scale 1/ε in
 * every bin makes the whole histogram ε-DP (parallel composition), not ε per bin. Centring the sum
 * of squares at the middle of the range quarters its sensitivity against Σx². MEAN is noisy SUM over
 * noisy COUNT, and STDDEV is √(Q/C − (S/C − c)²) from the three: post-processing, which costs no
 * more ε. QUANTILES are read off the noisy HISTOGRAM, also for free when HISTOGRAM is asked too.
 *
 * <p><b>Composition.</b> A release computes the union of the measurements its kinds need, in every
 * bucket; ε is split evenly over (buckets × measurements) and they compose sequentially. Buckets do
 * not compose in parallel: the same owner appears in every time bucket.
 */
public enum Measurement {
    /** How many owners contributed. */
    COUNT,
    /** The sum of their values. */
    SUM,
    /** The sum of their squared distances from the centre of the clamp range. */
    CENTRED_SUM_OF_SQUARES,
    /** Their counts in the metric's histogram bins. */
    HISTOGRAM;

    /** The measurements the kinds need. */
    public static Set<Measurement> neededFor(Set<AggregateKind> kinds) {
        EnumSet<Measurement> m = EnumSet.noneOf(Measurement.class);
        for (AggregateKind k : kinds) {
            switch (k) {
                case COUNT -> m.add(COUNT);
                case SUM -> m.add(SUM);
                case MEAN -> {
                    m.add(COUNT);
                    m.add(SUM);
                }
                case STDDEV -> {
                    m.add(COUNT);
                    m.add(SUM);
                    m.add(CENTRED_SUM_OF_SQUARES);
                }
                case HISTOGRAM, QUANTILES -> m.add(HISTOGRAM);
            }
        }
        return Collections.unmodifiableSet(m);
    }

    /** The centre of the grid range {@code [lo, hi]} that the sum of squares is taken around. */
    public static long centre(long lo, long hi) {
        return Math.floorDiv(lo + hi, 2);
    }

    /** The L1 sensitivity of this measurement for values in {@code [lo, hi]} grid units. */
    public BigInteger sensitivity(long lo, long hi) {
        return switch (this) {
            case COUNT, HISTOGRAM -> BigInteger.ONE;
            case SUM -> BigInteger.valueOf(Math.max(Math.abs(lo), Math.abs(hi)));
            case CENTRED_SUM_OF_SQUARES -> {
                long c = centre(lo, hi);
                BigInteger a = BigInteger.valueOf(lo - c);
                BigInteger b = BigInteger.valueOf(hi - c);
                yield a.multiply(a).max(b.multiply(b));
            }
        };
    }
}
