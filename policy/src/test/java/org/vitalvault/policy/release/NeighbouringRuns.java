package org.vitalvault.policy.release;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.commons.math3.distribution.BetaDistribution;

/**
 * An empirical check of ε-differential privacy in the manner of StatDP (Ding et al., CCS 2018) and
 * DP-Sniper (Bichsel et al., S&amp;P 2021): run a mechanism {@code n} times on a data set D and
 * {@code n} times on a neighbour D′, count for each of a fixed family of output events S how often
 * the output falls in S, and look for an event with {@code P[S|D] > e^ε·P[S|D′]} or the reverse.
 *
 * <p><b>Never flaky on a correct mechanism.</b> An event fails only when even the Clopper–Pearson
 * <em>lower</em> bound on one probability exceeds e^ε times the <em>upper</em> bound on the other,
 * each bound one-sided at level {@link #ALPHA} = 10⁻⁶. If the mechanism is ε-DP, a failure needs one
 * of the two bounds to be wrong, so one comparison fails with probability at most 2·10⁻⁶ and the
 * whole family (Bonferroni) with at most {@code 2·10⁻⁶ × events × 2 directions} — about 10⁻⁴ for the
 * tests here, whatever the seed. The events must be fixed before the runs; they are any functions of
 * what the researcher receives, so a suppressed flag, a shown bin or a noisy value in a range are all
 * fair.
 *
 * <p><b>What it cannot do.</b> It finds violations that one of the listed events exposes and that are
 * large enough for n runs to see (see {@code theCheckFindsANoiseTooSmallForItsEpsilonAndPassesTheRightOne});
 * passing it is evidence, not a proof.
 *
 * @param <T> one output of the mechanism
 */
final class NeighbouringRuns<T> {

    /** One-sided level of each Clopper–Pearson bound. */
    static final double ALPHA = 1e-6;

    private final Map<String, Predicate<T>> events = new LinkedHashMap<>();

    /** Adds an event, named as the failure message will name it. */
    NeighbouringRuns<T> event(String name, Predicate<T> inS) {
        if (events.put(name, inS) != null) {
            throw new IllegalArgumentException("two events named " + name);
        }
        return this;
    }

    int size() {
        return events.size();
    }

    /** Runs each mechanism {@code n} times and compares every event's frequencies. */
    Result run(int n, double epsilon, Supplier<T> onD, Supplier<T> onNeighbour) {
        long[] inD = count(n, onD);
        long[] inNeighbour = count(n, onNeighbour);
        double bound = Math.exp(epsilon);
        List<String> names = new ArrayList<>(events.keySet());
        List<String> violations = new ArrayList<>();
        List<String> table = new ArrayList<>();
        double worst = 0;
        for (int i = 0; i < names.size(); i++) {
            double[] p = clopperPearson(inD[i], n);
            double[] q = clopperPearson(inNeighbour[i], n);
            // Evidence of a ratio above e^ε: lower(P[S|D]) / upper(P[S|D′]), and the reverse.
            double forward = p[0] / q[1];
            double backward = q[0] / p[1];
            worst = Math.max(worst, Math.max(forward, backward));
            String line = String.format(Locale.ROOT, "%s: P[S|D] = %.4f in [%.4f, %.4f], P[S|D′] = %.4f in [%.4f, %.4f]",
                    names.get(i), (double) inD[i] / n, p[0], p[1], (double) inNeighbour[i] / n, q[0], q[1]);
            table.add(line);
            if (forward > bound || backward > bound) {
                violations.add(line + String.format(Locale.ROOT, " — ratio at least %.3g > e^ε = %.4f",
                        Math.max(forward, backward), bound));
            }
        }
        return new Result(n, epsilon, violations, table, worst);
    }

    private long[] count(int n, Supplier<T> mechanism) {
        List<Predicate<T>> tests = new ArrayList<>(events.values());
        long[] counts = new long[tests.size()];
        for (int run = 0; run < n; run++) {
            T out = mechanism.get();
            for (int i = 0; i < counts.length; i++) {
                if (tests.get(i).test(out)) {
                    counts[i]++;
                }
            }
        }
        return counts;
    }

    /** Exact (Clopper–Pearson) one-sided bounds {@code [lower, upper]} on p from x successes in n, each at level ALPHA. */
    static double[] clopperPearson(long x, long n) {
        double lower = x == 0 ? 0 : new BetaDistribution(x, n - x + 1).inverseCumulativeProbability(ALPHA);
        double upper = x == n ? 1 : new BetaDistribution(x + 1, n - x).inverseCumulativeProbability(1 - ALPHA);
        return new double[] {lower, upper};
    }

    /**
     * What the runs showed.
     *
     * @param runs       runs per data set
     * @param epsilon    the ε checked against
     * @param violations events whose bounds prove a ratio above e^ε (empty when none)
     * @param table      every event's frequencies and bounds
     * @param worstRatio the largest lower bound on a ratio seen (≤ e^ε when there is no violation)
     */
    record Result(int runs, double epsilon, List<String> violations, List<String> table, double worstRatio) {

        String report() {
            return String.format(Locale.ROOT, "%d runs on each data set, ε = %s, e^ε = %.4f; %d of %d events violate:%n  %s%nall events:%n  %s",
                    runs, epsilon, Math.exp(epsilon), violations.size(), table.size(), String.join("\n  ", violations),
                    String.join("\n  ", table));
        }
    }
}
