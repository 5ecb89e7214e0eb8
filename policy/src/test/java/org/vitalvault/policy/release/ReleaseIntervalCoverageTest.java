package org.vitalvault.policy.release;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vitalvault.policy.Fixtures.day;
import static org.vitalvault.policy.Fixtures.owner;
import static org.vitalvault.policy.release.Leases.LEASE;

import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.vitalvault.policy.consent.AggregateKind;
import org.vitalvault.policy.consent.Granularity;
import org.vitalvault.policy.lease.LeaseDecision;
import org.vitalvault.policy.ledger.LeaseBudget;
import org.vitalvault.policy.ledger.PrivacyLedger;

class ReleaseIntervalCoverageTest {

    private static final int RUNS = 1000;

    /**
     * Over 1,000 releases of the same cohort at ε = 1, each 95% interval contains the noise-free
     * value (of the clamped, grid-rounded values) at least about 95% of the time: count and sum
     * exactly by construction, mean, standard deviation and quantiles conservatively.
     */
    @Test
    void ninetyFivePercentIntervalsCoverTheNoiseFreeValueAtLeastNinetyFivePercentOfTheTime() {
        int n = 40;
        Random r = new Random(3);
        Map<UUID, Double> values = new HashMap<>();
        double[] grid = new double[n];
        for (int i = 0; i < n; i++) {
            double v = Math.round((72 + 12 * r.nextGaussian()) * 100) / 100.0;
            values.put(owner(i), v);
            grid[i] = Math.round(Math.min(220, Math.max(30, v)) * 10) / 10.0;
        }
        double sum = Arrays.stream(grid).sum();
        double mean = sum / n;
        double sd = Math.sqrt(Arrays.stream(grid).map(x -> (x - mean) * (x - mean)).sum() / n);
        double[] sorted = grid.clone();
        Arrays.sort(sorted);
        double median = sorted[(int) Math.ceil(0.5 * n) - 1];
        double p90 = sorted[(int) Math.ceil(0.9 * n) - 1];

        LeaseDecision d = Leases.approved(n, 100, 100, 10_000);
        Instant bucket = day(-3);
        AggregateQuery q = new AggregateQuery("heart_rate", Granularity.DAY, List.of(bucket),
                Set.of(AggregateKind.values()), List.of(0.5, 0.9), 1.0);
        AggregateReleaser releaser = new AggregateReleaser(AggregateReleaserTest.seeded(2024));
        int[] covered = new int[6];
        for (int run = 0; run < RUNS; run++) {
            BucketRelease b = releaser.release(LEASE, d, LeaseBudget.open(LEASE, 1), PrivacyLedger.empty(), q,
                    Map.of(bucket, values)).buckets().get(0);
            covered[0] += b.count().intervalContains(n) ? 1 : 0;
            covered[1] += b.sum().intervalContains(sum) ? 1 : 0;
            covered[2] += b.mean().intervalContains(mean) ? 1 : 0;
            covered[3] += b.stddev().intervalContains(sd) ? 1 : 0;
            covered[4] += b.quantiles().get(0).value().intervalContains(median) ? 1 : 0;
            covered[5] += b.quantiles().get(1).value().intervalContains(p90) ? 1 : 0;
        }
        String[] names = {"count", "sum", "mean", "stddev", "median", "p90"};
        for (int i = 0; i < covered.length; i++) {
            // 95% of 1,000 with a standard error of about 7: 930 is three below.
            assertTrue(covered[i] >= 930, names[i] + " covered " + covered[i] + " of " + RUNS);
        }
    }
}
