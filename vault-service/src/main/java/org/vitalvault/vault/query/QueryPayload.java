package org.vitalvault.vault.query;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.vitalvault.policy.consent.AggregateKind;
import org.vitalvault.policy.consent.Granularity;
import org.vitalvault.policy.release.AggregateQuery;
import org.vitalvault.vault.lease.SignedRequests;
import org.vitalvault.vault.http.Window;
import org.vitalvault.vault.refusal.InvalidInput;

/**
 * What a researcher signs to query inside a lease (JWS {@code typ} {@value SignedRequests#QUERY_TYP}):
 * one metric, aggregate kinds, and time buckets of one granularity over {@code dataWindow} (its
 * {@code from} aligned: a whole hour for HOUR, a UTC midnight otherwise), at a privacy loss of
 * {@code epsilon} for the whole query.
 *
 * @param queryId   the organisation's id for this query; a replay is refused
 * @param leaseId   the lease, as in the path
 * @param issuedAt  when it was signed
 * @param quantiles  probabilities for QUANTILES, e.g. [0.5, 0.9]
 * @param dataWindow the readings the buckets cover: {@code from} inclusive, {@code until} exclusive
 */
public record QueryPayload(UUID queryId, UUID leaseId, Instant issuedAt, @Schema(example = "heart_rate") String metric,
                           @Schema(type = SchemaType.ARRAY, implementation = AggregateKind.class) List<String> kinds,
                           List<Double> quantiles, @Schema(implementation = Granularity.class) String granularity,
                           Window dataWindow, @Schema(example = "0.1") Double epsilon)
        implements SignedRequests.Fresh {

    /** The most buckets one query may ask for. */
    public static final int MAX_BUCKETS = 2000;

    /**
     * The policy's query. COUNT is added when MEAN or STDDEV is asked and the lease covers COUNT: it is
     * the same noisy measurement those kinds are computed from, so it costs no further ε, and it is
     * the protected contributor count of each bucket.
     */
    public AggregateQuery toQuery(Set<AggregateKind> leased) {
        if (queryId == null) {
            throw InvalidInput.field("queryId", "must be a UUID");
        }
        if (epsilon == null) {
            throw InvalidInput.field("epsilon", "must be given");
        }
        if (dataWindow == null || dataWindow.from() == null || dataWindow.until() == null) {
            throw InvalidInput.field("dataWindow", "must have from and until");
        }
        Instant from = dataWindow.from();
        Instant until = dataWindow.until();
        if (!until.isAfter(from)) {
            throw InvalidInput.field("dataWindow.until", "must be after from");
        }
        Granularity g;
        Set<AggregateKind> k = EnumSet.noneOf(AggregateKind.class);
        try {
            g = Granularity.of(granularity);
            if (kinds != null) {
                kinds.forEach(name -> k.add(AggregateKind.of(name)));
            }
        } catch (IllegalArgumentException e) {
            throw InvalidInput.field(e.getMessage().startsWith("granularity") ? "granularity" : "kinds", e.getMessage());
        }
        Instant aligned = g == Granularity.HOUR ? from.truncatedTo(ChronoUnit.HOURS) : from.truncatedTo(ChronoUnit.DAYS);
        if (!aligned.equals(from)) {
            throw InvalidInput.field("dataWindow.from", "must start a bucket: a whole hour for HOUR, a UTC midnight otherwise");
        }
        Duration step = g.nominalLength();
        long n = (Duration.between(from, until).toSeconds() + step.toSeconds() - 1) / step.toSeconds();
        if (n > MAX_BUCKETS) {
            throw InvalidInput.field("dataWindow.until", "a query may ask for at most " + MAX_BUCKETS + " buckets");
        }
        List<Instant> buckets = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            buckets.add(from.plus(step.multipliedBy(i)));
        }
        if ((k.contains(AggregateKind.MEAN) || k.contains(AggregateKind.STDDEV)) && leased.contains(AggregateKind.COUNT)) {
            k.add(AggregateKind.COUNT);
        }
        try {
            return new AggregateQuery(metric, g, buckets, k, quantiles, epsilon);
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            int space = message.indexOf(' ');
            throw InvalidInput.field(space > 0 ? message.substring(0, space) : "payload", message);
        }
    }

    /** The end of the last bucket. */
    public static Instant end(AggregateQuery q) {
        return q.buckets().get(q.buckets().size() - 1).plus(q.granularity().nominalLength());
    }
}
