package org.vitalvault.gateway.mqtt;

import java.time.Clock;
import java.time.Duration;
import org.vitalvault.gateway.ingest.BatchStore;
import org.vitalvault.gateway.ingest.DeviceDirectory;
import org.vitalvault.gateway.ingest.DevicePayloadDecoder;
import org.vitalvault.gateway.ingest.IngestListener;
import org.vitalvault.gateway.ingest.IngestPipeline;
import org.vitalvault.gateway.ingest.RecordValidator;
import org.vitalvault.gateway.ingest.RejectionLog;
import org.vitalvault.gateway.sealing.OwnerSealer;
import org.vitalvault.metric.MetricCatalogue;
import org.vitalvault.wire.RejectionReason;

/** Real ingest pipelines for the MQTT tests, with the test's device directory and store. */
final class TestPipelines {

    private TestPipelines() {
    }

    /** One message per batch, so a test decides message by message what commits. */
    static IngestPipeline oneMessagePerBatch(DeviceDirectory directory, BatchStore store) {
        return new IngestPipeline(
                new DevicePayloadDecoder(65_536, 1000),
                new RecordValidator(MetricCatalogue.standard(), Duration.ofMinutes(5), Duration.ofDays(30)),
                directory,
                new OwnerSealer(Duration.ofHours(1)),
                store,
                new IngestListener() {
                    @Override
                    public void rejected(RejectionReason reason, int records) {
                    }

                    @Override
                    public void committed(int messages, int readings, long commitNanos) {
                    }

                    @Override
                    public void storeFailed(int attempt) {
                    }
                },
                receipt -> { },
                new RejectionLog(100),
                Clock.systemUTC(),
                new IngestPipeline.Settings(1, Duration.ofMillis(1), 100, Duration.ofMillis(100)));
    }
}
