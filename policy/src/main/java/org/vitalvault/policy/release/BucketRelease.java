package org.vitalvault.policy.release;

import java.time.Instant;
import java.util.List;
import org.vitalvault.policy.privacy.NoisyValue;

/**
 * The released aggregates of one time bucket. A suppressed bucket (noisy contributor count below k)
 * carries nothing but its start and, when COUNT is asked, that noisy count. Otherwise each asked kind has a value and the others are
 * {@code null} or empty. No field ever holds a true count.
 *
 * @param start      the bucket's start
 * @param suppressed true when the bucket's noisy contributor count is below k: its aggregates are not shown
 * @param count      noisy number of contributing owners (COUNT)
 * @param sum        noisy sum (SUM)
 * @param mean       noisy mean (MEAN)
 * @param stddev     noisy population standard deviation (STDDEV)
 * @param quantiles  noisy quantiles (QUANTILES)
 * @param histogram  noisy bins (HISTOGRAM); bins whose noisy count is below k are suppressed
 */
public record BucketRelease(Instant start, boolean suppressed, NoisyValue count, NoisyValue sum, NoisyValue mean,
                            NoisyValue stddev, List<QuantileEstimate> quantiles, List<BinEstimate> histogram) {

    public BucketRelease {
        quantiles = List.copyOf(quantiles);
        histogram = List.copyOf(histogram);
    }

    /** A bucket not released. */
    public static BucketRelease suppressed(Instant start) {
        return suppressed(start, null);
    }

    /** A bucket not released, with its noisy count when COUNT is asked ({@code null} otherwise). */
    public static BucketRelease suppressed(Instant start, NoisyValue count) {
        return new BucketRelease(start, true, count, null, null, null, List.of(), List.of());
    }
}
