package org.vitalvault.gateway.ingest;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
import org.vitalvault.senml.SenmlRecord;
import org.vitalvault.metric.Metric;
import org.vitalvault.metric.MetricCatalogue;
import org.vitalvault.wire.RejectionReason;

/**
 * Checks one resolved SenML record against the metric catalogue and the accepted time window.
 * Each failed check has its {@link RejectionReason}; none of them repeats the value.
 */
public final class RecordValidator {

    private final MetricCatalogue catalogue;
    private final long maxFutureMillis;
    private final long maxAgeMillis;

    public RecordValidator(MetricCatalogue catalogue, Duration maxFuture, Duration maxAge) {
        this.catalogue = catalogue;
        this.maxFutureMillis = maxFuture.toMillis();
        this.maxAgeMillis = maxAge.toMillis();
    }

    /** The outcome for one record: a metric and canonical value, or a reason. */
    public record Outcome(Metric metric, double canonicalValue, long deviceTimeMillis, RejectionReason rejection) {
        boolean accepted() {
            return rejection == null;
        }

        static Outcome reject(RejectionReason reason) {
            return new Outcome(null, 0, 0, reason);
        }
    }

    public Outcome validate(SenmlRecord record, long receivedMillis) {
        Optional<Metric> metric = metricOf(record.name());
        if (metric.isEmpty()) {
            return Outcome.reject(RejectionReason.UNKNOWN_METRIC);
        }
        Metric m = metric.get();
        OptionalDouble value = m.toCanonical(record.unit() == null ? m.canonicalUnit() : record.unit(), record.value());
        if (value.isEmpty()) {
            return Outcome.reject(RejectionReason.UNIT_MISMATCH);
        }
        if (!m.isPlausible(value.getAsDouble())) {
            return Outcome.reject(RejectionReason.OUT_OF_RANGE);
        }
        long time = Math.round(record.timeSeconds() * 1000d);
        if (time > receivedMillis + maxFutureMillis) {
            return Outcome.reject(RejectionReason.TIME_IN_FUTURE);
        }
        if (time < receivedMillis - maxAgeMillis) {
            return Outcome.reject(RejectionReason.TOO_OLD);
        }
        return new Outcome(m, value.getAsDouble(), time, null);
    }

    /**
     * SenML names are often prefixed by a device base name ({@code urn:dev:mac:0024befffe804ff1:}):
     * the metric is the part after the last ':' or '/' (the whole name when there is none).
     */
    private Optional<Metric> metricOf(String name) {
        // Catalogue names hold no ':' or '/', so the part after the last one is the only candidate;
        // looking it up first spares hashing the ~60-character resolved name of every record.
        int cut = Math.max(name.lastIndexOf(':'), name.lastIndexOf('/'));
        return catalogue.bySenmlName(cut < 0 ? name : name.substring(cut + 1));
    }
}
