package org.vitalvault.vault.query;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.vitalvault.policy.privacy.NoisyValue;
import org.vitalvault.policy.release.BinEstimate;
import org.vitalvault.policy.release.BucketRelease;
import org.vitalvault.policy.release.QuantileEstimate;

/**
 * What a researcher receives for one query: per bucket the noisy aggregates, each with its noise
 * scale (standard deviation) and 95% interval, and the protected contributor count; the lease's
 * budget after the query. Nothing here names an owner or a device, and no count is exact.
 *
 * @param minimumCohort k: buckets with fewer contributors are suppressed
 */
public record QueryAnswer(UUID leaseId, UUID queryId, String metric, String granularity, double epsilon, Instant answeredAt,
                          int minimumCohort, List<Bucket> buckets, Budget budget) {

    /**
     * One bucket.
     *
     * @param contributors the noisy number of owners with data in the bucket (when the lease covers COUNT)
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Bucket(Instant start, boolean suppressed, NoisyValue contributors, NoisyValue mean, NoisyValue sum,
                         NoisyValue stddev, List<QuantileEstimate> quantiles, List<BinEstimate> histogram) {

        static Bucket of(BucketRelease b) {
            return new Bucket(b.start(), b.suppressed(), b.count(), b.mean(), b.sum(), b.stddev(), b.quantiles(), b.histogram());
        }
    }

    /** The lease's ε: its total, spent so far (this query included) and what is left. */
    public record Budget(double total, double spent, double remaining) {
    }
}
