package org.vitalvault.policy.release;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.vitalvault.metric.Metric;
import org.vitalvault.policy.consent.AggregateKind;
import org.vitalvault.policy.internal.Checks;
import org.vitalvault.policy.lease.EffectiveTerms;
import org.vitalvault.policy.lease.LeaseDecision;
import org.vitalvault.policy.lease.Participant;
import org.vitalvault.policy.lease.Reason;
import org.vitalvault.policy.lease.ReasonCode;
import org.vitalvault.policy.ledger.LeaseBudget;
import org.vitalvault.policy.ledger.LedgerEntry;
import org.vitalvault.policy.ledger.OwnerCaps;
import org.vitalvault.policy.ledger.PrivacyLedger;
import org.vitalvault.policy.privacy.DiscreteLaplace;
import org.vitalvault.policy.privacy.FixedPointGrid;
import org.vitalvault.policy.privacy.Measurement;
import org.vitalvault.policy.privacy.NoisyValue;
import org.vitalvault.policy.privacy.SmallCellSuppression;

/**
 * Answers one query of a lease with differentially private aggregates.
 *
 * <p><b>Order of work.</b> Refuse (nothing charged) when the query breaks the {@link ReleaseLimits}
 * (ε outside its floor and ceiling, too many numbers), the decision is a denial, the query asks for
 * what the lease does not cover, or its ε does not fit the lease budget. Every one of these is decided
 * from the request and the lease's public terms alone, never from the data. Include exactly the
 * decision's participants who can afford the ε under their per-lease and yearly caps (an individual
 * privacy filter: an owner who cannot pay simply stops counting, and nobody learns it from an error).
 * Charge every included owner — whether or not they have data in the buckets, since absence is
 * information too — and the lease budget. Then, per bucket: the included owners' values, each clamped
 * to the metric's clamp bounds and rounded to its {@link FixedPointGrid}; the {@link Measurement
 * measurements} the kinds need plus COUNT (always: it decides what is shown), each plus discrete
 * Laplace noise of scale Δ·B·M/ε (B buckets, M measurements: ε split evenly, sequential composition).
 *
 * <p><b>What is shown is chosen on noise.</b> A bucket whose <em>noisy</em> count is below k is marked
 * suppressed and carries no aggregate; a histogram bin whose noisy count is below k is suppressed
 * likewise. Both are post-processing of measurements already paid for, so the choice costs no ε and
 * needs no δ: unlike suppression on true counts, it cannot tell an attacker with k − 1 owners of
 * their own whether a victim is in a bucket beyond what ε allows.
 *
 * <p><b>Guarantees.</b> The whole release (values, flags, intervals) is ε-differentially private
 * towards each owner (user level, add/remove one owner with all their data); no error it raises
 * depends on the data: after the charge, a failure is raised as {@link ReleaseFailedException},
 * which carries the charge so that the caller records it like a release; no owner and no lease is
 * charged past a cap.
 *
 * <p><b>What it does not do.</b> It does not decide eligibility: pass a {@link LeaseDecision} made
 * by the policy engine for this query (its instant is the charge time). It does not read storage:
 * the caller gives each owner's value per bucket (typically the mean of the owner's readings in it,
 * from hourly rollups) and persists the returned budget, ledger and charges atomically.
 */
public final class AggregateReleaser {

    private static final double CONFIDENCE = 0.95;

    private final SecureRandom random;
    private final ReleaseLimits limits;

    /**
     * @param random the source of noise; production passes a fresh {@code new SecureRandom()}
     * @param limits what one query may ask for
     */
    public AggregateReleaser(SecureRandom random, ReleaseLimits limits) {
        this.random = Checks.given("random", random);
        this.limits = Checks.given("limits", limits);
    }

    /** A releaser under {@link ReleaseLimits#DEFAULT}. */
    public AggregateReleaser(SecureRandom random) {
        this(random, ReleaseLimits.DEFAULT);
    }

    /**
     * @param lease    the lease
     * @param decision the policy decision made for this query
     * @param budget   the lease's budget so far
     * @param ledger   every owner's privacy loss so far
     * @param query    the query
     * @param values   each owner's value per bucket start (owners outside the decision are ignored)
     * @return the release, with the budget and ledger after it
     * @throws ReleaseRefusedException when the query is refused; nothing is charged then
     * @throws IllegalArgumentException  when the query breaks the limits (before anything else)
     * @throws ReleaseFailedException    when computing failed after the charge; it carries the charge
     */
    public Release release(UUID lease, LeaseDecision decision, LeaseBudget budget, PrivacyLedger ledger,
                           AggregateQuery query, Map<Instant, Map<UUID, Double>> values) {
        Checks.given("lease", lease);
        Checks.given("decision", decision);
        Checks.given("budget", budget);
        Checks.given("ledger", ledger);
        Checks.given("query", query);
        Checks.given("values", values);
        if (!budget.lease().equals(lease)) {
            throw new IllegalArgumentException("budget is of another lease");
        }
        limits.check(query);
        Set<Instant> asked = new HashSet<>(query.buckets());
        for (Instant b : values.keySet()) {
            if (!asked.contains(b)) {
                throw new IllegalArgumentException("values hold a bucket the query does not list: " + b);
            }
        }
        if (!decision.approved()) {
            throw refused(ReasonCode.LEASE_DENIED, "The lease is not approved at this time.");
        }
        EffectiveTerms terms = decision.terms();
        Instant now = decision.decidedAt();
        checkCovered(terms, query, now);
        if (!budget.allows(query.epsilon())) {
            throw refused(ReasonCode.LEASE_BUDGET_EXHAUSTED, "The lease has ε " + budget.remaining()
                    + " left; this query asks for " + query.epsilon() + ".");
        }

        Map<UUID, OwnerCaps> caps = new TreeMap<>();
        for (Participant p : decision.participants().values()) {
            caps.put(p.owner(), p.caps());
        }
        Set<UUID> included = ledger.affordable(caps, lease, query.epsilon(), now);
        int k = terms.minimumCohort();
        Map<UUID, OwnerCaps> charged = new TreeMap<>(caps);
        charged.keySet().retainAll(included);
        PrivacyLedger ledgerAfter = ledger.charge(lease, charged, query.epsilon(), now);
        LeaseBudget budgetAfter = budget.spend(query.epsilon());
        List<LedgerEntry> charges = new ArrayList<>();
        for (UUID owner : included) {
            charges.add(new LedgerEntry(owner, lease, now, query.epsilon()));
        }

        try {
            Plan plan = new Plan(Checks.metric("metric", query.metric()), query, new SmallCellSuppression(k));
            List<BucketRelease> buckets = new ArrayList<>();
            for (Instant start : query.buckets()) {
                Map<UUID, Double> raw = values.getOrDefault(start, Map.of());
                List<Double> contributions = new ArrayList<>();
                for (UUID owner : included) {
                    Double v = raw.get(owner);
                    // A value that is not a number is as absent as a missing one: no error may depend on the data.
                    if (v != null && Double.isFinite(v)) {
                        contributions.add(v);
                    }
                }
                buckets.add(plan.bucket(start, contributions, random));
            }
            return new Release(lease, query.epsilon(), buckets, budgetAfter, ledgerAfter, charges);
        } catch (RuntimeException e) {
            throw new ReleaseFailedException(new Release(lease, query.epsilon(), List.of(), budgetAfter, ledgerAfter, charges), e);
        }
    }

    private static void checkCovered(EffectiveTerms terms, AggregateQuery query, Instant now) {
        if (!terms.validity().contains(now)) {
            throw refused(ReasonCode.NOT_LEASED, "The lease period is " + terms.validity().from() + " until "
                    + terms.validity().until() + "; queries are answered only within it.");
        }
        if (!terms.metrics().contains(query.metric())) {
            throw refused(ReasonCode.NOT_LEASED, "The lease does not cover the metric " + query.metric() + ".");
        }
        if (!terms.kinds().containsAll(query.kinds())) {
            throw refused(ReasonCode.NOT_LEASED, "The lease covers only the aggregate kinds " + terms.kinds() + ".");
        }
        if (!query.granularity().isAtLeastAsCoarseAs(terms.granularity())) {
            throw refused(ReasonCode.NOT_LEASED, "The lease allows time buckets no finer than " + terms.granularity() + ".");
        }
        for (Instant b : query.buckets()) {
            if (!terms.dataWindow().contains(b)) {
                throw refused(ReasonCode.NOT_LEASED, "The bucket starting " + b + " lies outside the lease's data window.");
            }
        }
    }

    private static ReleaseRefusedException refused(ReasonCode code, String message) {
        return new ReleaseRefusedException(new Reason(code, message));
    }

    /** The mechanisms of one query: the same for every bucket, fixed before any data is read. */
    private static final class Plan {
        final Metric metric;
        final AggregateQuery query;
        final SmallCellSuppression suppression;
        final FixedPointGrid grid;
        final long lo;
        final long hi;
        final long centre;
        final int bins;
        final Map<Measurement, DiscreteLaplace> noise = new EnumMap<>(Measurement.class);

        Plan(Metric metric, AggregateQuery query, SmallCellSuppression suppression) {
            this.metric = metric;
            this.query = query;
            this.suppression = suppression;
            this.grid = FixedPointGrid.forMetric(metric);
            this.lo = grid.toUnits(metric.clampMin());
            this.hi = grid.toUnits(metric.clampMax());
            this.centre = Measurement.centre(lo, hi);
            // As HourRollup lays out its regular bins over the clamp range.
            this.bins = ReleaseLimits.bins(metric);
            Set<Measurement> needed = EnumSet.of(Measurement.COUNT);
            needed.addAll(Measurement.neededFor(query.kinds()));
            BigInteger parts = BigInteger.valueOf((long) query.buckets().size() * needed.size());
            for (Measurement m : needed) {
                noise.put(m, DiscreteLaplace.forEpsilon(m.sensitivity(lo, hi).multiply(parts), query.epsilon()));
            }
        }

        BucketRelease bucket(Instant start, List<Double> values, SecureRandom random) {
            long count = values.size();
            long sum = 0;
            long squares = 0;
            long[] histogram = new long[bins];
            for (double raw : values) {
                double clamped = Math.min(metric.clampMax(), Math.max(metric.clampMin(), raw));
                // Bounded: |u| ≤ max(|lo|, |hi|) and count ≤ the cohort, far from overflow for any real cohort.
                long u = Math.min(hi, Math.max(lo, grid.toUnits(clamped)));
                sum = Math.addExact(sum, u);
                squares = Math.addExact(squares, Math.multiplyExact(u - centre, u - centre));
                histogram[bin(clamped)]++;
            }
            long noisyCount = count + draw(Measurement.COUNT, random);
            long noisySum = sum + draw(Measurement.SUM, random);
            long noisySquares = squares + draw(Measurement.CENTRED_SUM_OF_SQUARES, random);
            long[] noisyHistogram = new long[bins];
            if (noise.containsKey(Measurement.HISTOGRAM)) {
                for (int i = 0; i < bins; i++) {
                    noisyHistogram[i] = histogram[i] + draw(Measurement.HISTOGRAM, random);
                }
            }
            Set<AggregateKind> kinds = query.kinds();
            if (!suppression.releases(noisyCount)) {
                // Chosen on the noisy count only: post-processing, so the flag costs no ε and needs no δ.
                return BucketRelease.suppressed(start, kinds.contains(AggregateKind.COUNT) ? count(noisyCount) : null);
            }
            return new BucketRelease(start, false,
                    kinds.contains(AggregateKind.COUNT) ? count(noisyCount) : null,
                    kinds.contains(AggregateKind.SUM) ? sum(noisySum) : null,
                    kinds.contains(AggregateKind.MEAN) ? mean(noisyCount, noisySum) : null,
                    kinds.contains(AggregateKind.STDDEV) ? stddev(noisyCount, noisySum, noisySquares) : null,
                    kinds.contains(AggregateKind.QUANTILES) ? quantiles(noisyHistogram) : List.of(),
                    kinds.contains(AggregateKind.HISTOGRAM) ? histogram(noisyHistogram) : List.of());
        }

        private long draw(Measurement m, SecureRandom random) {
            DiscreteLaplace d = noise.get(m);
            return d == null ? 0 : d.sample(random);
        }

        int bin(double clamped) {
            int i = (int) Math.floor((clamped - metric.clampMin()) / metric.binWidth());
            return Math.min(bins - 1, Math.max(0, i));
        }

        double binLow(int i) {
            return metric.clampMin() + i * metric.binWidth();
        }

        double binHigh(int i) {
            return i == bins - 1 ? metric.clampMax() : Math.min(metric.clampMax(), binLow(i + 1));
        }

        private NoisyValue count(long noisy) {
            DiscreteLaplace d = noise.get(Measurement.COUNT);
            long m = d.halfWidth(CONFIDENCE);
            return new NoisyValue(noisy, d.standardDeviation(), Math.max(0, noisy - m), Math.max(0, noisy + m));
        }

        private NoisyValue sum(long noisy) {
            DiscreteLaplace d = noise.get(Measurement.SUM);
            long m = d.halfWidth(CONFIDENCE);
            return new NoisyValue(grid.toValue(noisy), grid.toValue(d.standardDeviation()),
                    grid.toValue(noisy - m), grid.toValue(noisy + m));
        }

        /** Bounds on the true count: the noise bound, and at least 1 (a shown bucket is never taken as empty). */
        private double[] countRange(long noisy, double confidence) {
            long m = noise.get(Measurement.COUNT).halfWidth(confidence);
            double low = Math.max(noisy - m, 1);
            return new double[] {low, Math.max(low, noisy + m)};
        }

        private NoisyValue mean(long noisyCount, long noisySum) {
            double each = 1 - (1 - CONFIDENCE) / 2;
            double[] c = countRange(noisyCount, each);
            long ms = noise.get(Measurement.SUM).halfWidth(each);
            double[] ratios = ratios(noisySum - ms, noisySum + ms, c);
            double low = clampUnits(min(ratios));
            double high = clampUnits(max(ratios));
            double divisor = Math.max(noisyCount, suppression.k());
            double point = clampUnits(noisySum / divisor);
            double sdSum = noise.get(Measurement.SUM).standardDeviation();
            double sdCount = noise.get(Measurement.COUNT).standardDeviation();
            double sd = Math.sqrt(sdSum * sdSum + point * point * sdCount * sdCount) / divisor;
            return new NoisyValue(grid.toValue(point), grid.toValue(sd), grid.toValue(low), grid.toValue(high));
        }

        private NoisyValue stddev(long noisyCount, long noisySum, long noisySquares) {
            double each = 1 - (1 - CONFIDENCE) / 3;
            double[] c = countRange(noisyCount, each);
            long ms = noise.get(Measurement.SUM).halfWidth(each);
            long mq = noise.get(Measurement.CENTRED_SUM_OF_SQUARES).halfWidth(each);
            double maxVariance = Math.pow((hi - lo) / 2.0, 2);
            double divisor = Math.max(noisyCount, suppression.k());
            double shift = noisySum / divisor - centre;
            double point = Math.sqrt(clamp(Math.max(0, noisySquares) / divisor - shift * shift, 0, maxVariance));

            double qLow = Math.max(0, noisySquares - mq);
            double qHigh = Math.max(qLow, noisySquares + mq);
            double[] means = ratios(noisySum - ms, noisySum + ms, c);
            double dLow = min(means) - centre;
            double dHigh = max(means) - centre;
            double d2Max = Math.max(dLow * dLow, dHigh * dHigh);
            double d2Min = dLow <= 0 && dHigh >= 0 ? 0 : Math.min(dLow * dLow, dHigh * dHigh);
            double varLow = clamp(qLow / c[1] - d2Max, 0, maxVariance);
            double varHigh = clamp(qHigh / c[0] - d2Min, 0, maxVariance);
            double low = Math.sqrt(varLow);
            double high = Math.sqrt(varHigh);
            return new NoisyValue(grid.toValue(point), grid.toValue((high - low) / (2 * 1.96)),
                    grid.toValue(low), grid.toValue(high));
        }

        private List<BinEstimate> histogram(long[] noisy) {
            DiscreteLaplace d = noise.get(Measurement.HISTOGRAM);
            long m = d.halfWidth(CONFIDENCE);
            List<BinEstimate> out = new ArrayList<>(bins);
            for (int i = 0; i < bins; i++) {
                // Shown when the noisy count reaches k: post-processing of the paid-for noisy histogram.
                NoisyValue v = suppression.releases(noisy[i])
                        ? new NoisyValue(noisy[i], d.standardDeviation(), Math.max(0, noisy[i] - m), Math.max(0, noisy[i] + m))
                        : null;
                out.add(new BinEstimate(binLow(i), binHigh(i), v));
            }
            return out;
        }

        /**
         * Quantiles of the noisy histogram (clipped at 0), interpolated linearly inside the bin where
         * the cumulative count crosses q. The interval holds every bin the crossing can be in while
         * every bin's true count is within its noise bound, the bounds holding jointly at 95%
         * (each at 1 − 0.05/bins): the earliest such bin is where the crossing happens with upper
         * bounds before it and lower bounds after, the latest with the reverse.
         */
        private List<QuantileEstimate> quantiles(long[] noisy) {
            DiscreteLaplace d = noise.get(Measurement.HISTOGRAM);
            long m = d.halfWidth(1 - (1 - CONFIDENCE) / bins);
            double[] point = new double[bins];
            double[] low = new double[bins];
            double[] high = new double[bins];
            for (int i = 0; i < bins; i++) {
                point[i] = Math.max(0, noisy[i]);
                low[i] = Math.max(0, noisy[i] - m);
                high[i] = Math.max(0, noisy[i] + m);
            }
            List<QuantileEstimate> out = new ArrayList<>();
            for (double q : query.quantiles()) {
                double value = interpolate(point, q);
                int first = crossing(high, low, q);
                int last = crossing(low, high, q);
                double lowEdge = binLow(first);
                double highEdge = binHigh(last);
                out.add(new QuantileEstimate(q, new NoisyValue(value, (highEdge - lowEdge) / (2 * 1.96), lowEdge, highEdge)));
            }
            return out;
        }

        /** The first bin j with (1 − q)·Σ_{i≤j} before[i] ≥ q·Σ_{i>j} after[i]; the last bin when none. */
        private int crossing(double[] before, double[] after, double q) {
            double rest = 0;
            for (double a : after) {
                rest += a;
            }
            double head = 0;
            for (int j = 0; j < bins; j++) {
                head += before[j];
                rest -= after[j];
                if ((1 - q) * head >= q * Math.max(0, rest)) {
                    return j;
                }
            }
            return bins - 1;
        }

        private double interpolate(double[] counts, double q) {
            double total = 0;
            for (double c : counts) {
                total += c;
            }
            if (total <= 0) {
                return (metric.clampMin() + metric.clampMax()) / 2;
            }
            double target = q * total;
            double cumulative = 0;
            for (int i = 0; i < bins; i++) {
                if (counts[i] > 0 && cumulative + counts[i] >= target) {
                    double fraction = (target - cumulative) / counts[i];
                    return binLow(i) + fraction * (binHigh(i) - binLow(i));
                }
                cumulative += counts[i];
            }
            return metric.clampMax();
        }

        private double clampUnits(double units) {
            return clamp(units, lo, hi);
        }

        /** S/C at the corners of [sLow, sHigh] × [c[0], c[1]], c[0] > 0. */
        private static double[] ratios(double sLow, double sHigh, double[] c) {
            return new double[] {sLow / c[0], sLow / c[1], sHigh / c[0], sHigh / c[1]};
        }

        private static double clamp(double x, double low, double high) {
            return Math.min(high, Math.max(low, x));
        }

        private static double min(double[] xs) {
            double m = Double.POSITIVE_INFINITY;
            for (double x : xs) {
                m = Math.min(m, x);
            }
            return m;
        }

        private static double max(double[] xs) {
            double m = Double.NEGATIVE_INFINITY;
            for (double x : xs) {
                m = Math.max(m, x);
            }
            return m;
        }
    }
}
